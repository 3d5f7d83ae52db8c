using Microsoft.Data.Sqlite;

namespace Shatter.Results;

/// <summary>
/// A read-only view of a results database for listing and export (<c>shatter runs</c>,
/// <c>shatter export-db</c>): it never creates, migrates or writes the file, so it is safe beside a
/// running sweep, and everything read through one reader comes from one snapshot (a read transaction).
/// Tables and columns are discovered with queries, not assumed, so columns other versions of the store
/// add are read too; SQL NULL comes back as null.
/// </summary>
public sealed class ResultsReader : IDisposable
{
    readonly SqliteConnection connection;
    readonly SqliteTransaction snapshot;

    public string Path { get; }

    ResultsReader(string path, SqliteConnection connection, SqliteTransaction snapshot)
    {
        Path = path;
        this.connection = connection;
        this.snapshot = snapshot;
    }

    /// <summary>Opens the database at <paramref name="path"/>; one-sentence errors for a missing file or one that is not a results database.</summary>
    public static ResultsReader Open(string path)
    {
        if (path.StartsWith("postgres", StringComparison.OrdinalIgnoreCase) && path.Contains("://", StringComparison.Ordinal))
            throw new ShatterException("this command reads SQLite results files; for a PostgreSQL database use 'shatter status --db URL' or 'shatter report --db URL' (docs/scale-out.md).");
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new ShatterException($"no results database at {full}; run 'shatter sweep' first or give --db the file it wrote.");
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = 60,
        }.ToString());
        try
        {
            connection.Open();
            var snapshot = connection.BeginTransaction(deferred: true);
            var reader = new ResultsReader(full, connection, snapshot);
            var tables = reader.Tables();
            if (!tables.Contains("runs") || !tables.Contains("run_specs"))
                throw new ShatterException($"{full} is not a Shatter results database (it has no runs table); give --db the shatter.db a sweep wrote.");
            return reader;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new ShatterException($"cannot read the results database {full} ({e.Message.TrimEnd('.')}); give --db the shatter.db a sweep wrote.", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The names of the database's tables, in name order.</summary>
    public IReadOnlyList<string> Tables() =>
        [.. Rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").Select(r => (string)r[0]!)];

    /// <summary>The columns of <paramref name="table"/>, their kinds from the declared types (SQLite's affinity rules).</summary>
    public IReadOnlyList<TableColumn> Columns(string table) =>
        [.. Rows($"SELECT name, type FROM pragma_table_info('{table.Replace("'", "''")}') ORDER BY cid").Select(r => new TableColumn((string)r[0]!, Affinity((string?)r[1] ?? "")))];

    /// <summary>The rows of a query, streamed: each cell null, string, long or double as SQLite stored it.</summary>
    public IEnumerable<object?[]> Rows(string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = snapshot;
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (int i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            yield return row;
        }
    }

    /// <summary>The column names a query returns.</summary>
    public IReadOnlyList<string> ColumnNames(string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = snapshot;
        using var reader = cmd.ExecuteReader(System.Data.CommandBehavior.SchemaOnly);
        return [.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetName)];
    }

    /// <summary>A whole table for export, its cells converted to the kinds of its declared column types.</summary>
    public ExportTable Table(string table)
    {
        var columns = Columns(table);
        var quoted = $"\"{table.Replace("\"", "\"\"")}\"";
        return new ExportTable(table, columns, Rows($"SELECT * FROM {quoted}").Select(row =>
        {
            for (int i = 0; i < row.Length; i++) row[i] = Convert(row[i], columns[i].Kind);
            return row;
        }));
    }

    /// <summary>
    /// What <c>shatter export-db</c> writes: the flat runs table (<see cref="RunTable"/>), then epochs, steps and
    /// examples as stored, then any other per-run table the store has (e.g. one that records attempts); not
    /// the store's bookkeeping (meta, run_specs, whose contents are in the runs table).
    /// </summary>
    public IReadOnlyList<ExportTable> ExportTables()
    {
        string[] first = ["epochs", "steps", "examples"], skipped = ["meta", "runs", "run_specs"];
        var tables = Tables();
        return [RunTable.Build(RunTable.Load(this)),
            .. first.Where(tables.Contains).Concat(tables.Except(first).Except(skipped)).Select(Table)];
    }

    /// <summary>SQLite's affinity rules (datatype3.html §3.1); BLOB and untyped columns are exported as text.</summary>
    static ColumnKind Affinity(string declared)
    {
        var t = declared.ToUpperInvariant();
        if (t.Contains("INT")) return ColumnKind.Integer;
        if (t.Contains("CHAR") || t.Contains("CLOB") || t.Contains("TEXT")) return ColumnKind.Text;
        if (t.Contains("REAL") || t.Contains("FLOA") || t.Contains("DOUB")) return ColumnKind.Real;
        return t.Length == 0 || t.Contains("BLOB") ? ColumnKind.Text : ColumnKind.Real; // NUMERIC affinity: a number
    }

    static object? Convert(object? value, ColumnKind kind) => (value, kind) switch
    {
        (null, _) => null,
        (long, ColumnKind.Integer) or (double, ColumnKind.Real) => value,
        (long l, ColumnKind.Real) => (double)l,
        (double d, ColumnKind.Integer) when d == Math.Floor(d) && Math.Abs(d) < 9e18 => (long)d,
        (string s, ColumnKind.Integer) when long.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var l) => l,
        (string s, ColumnKind.Real) when double.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var d) => d,
        (double or string, ColumnKind.Integer or ColumnKind.Real) => throw new ShatterException(
            $"a numeric column holds '{value}', which is not a {(kind == ColumnKind.Integer ? "whole number" : "number")}; the database is damaged or was written by another program."),
        (byte[] b, _) => System.Convert.ToHexString(b),
        (IFormattable f, ColumnKind.Text) => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value,
    };

    public void Dispose()
    {
        snapshot.Dispose();
        connection.Dispose();
    }
}
