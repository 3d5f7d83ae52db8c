using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Shatter.Results;

/// <summary>
/// A read-only view of a results database for listing and export (<c>shatter runs</c>,
/// <c>shatter export-db</c>), SQLite or PostgreSQL: it never creates, migrates or writes, so it is safe beside a
/// running sweep, and everything read through one reader comes from one snapshot (a read transaction; REPEATABLE
/// READ on PostgreSQL). Tables and columns are discovered with queries, not assumed, so columns other versions of
/// the store add are read too; SQL NULL comes back as null. PostgreSQL cells come back as SQLite's would: times as
/// ISO 8601 text (UTC), booleans as 0 and 1, integers as long, so both backends export the same tables.
/// </summary>
public sealed class ResultsReader : IDisposable
{
    readonly DbConnection connection;
    readonly DbTransaction snapshot;
    readonly bool postgres;

    public string Path { get; }

    ResultsReader(string path, DbConnection connection, DbTransaction snapshot, bool postgres)
    {
        Path = path;
        this.connection = connection;
        this.snapshot = snapshot;
        this.postgres = postgres;
    }

    /// <summary>Opens the database at <paramref name="path"/> (a SQLite file or a PostgreSQL URL).</summary>
    public static ResultsReader Open(string path) => Open(DatabaseAddress.Parse(path));

    /// <summary>Opens the database <paramref name="address"/> names; one-sentence errors for a missing file, an unreachable server, or a database that holds no results.</summary>
    public static ResultsReader Open(DatabaseAddress address) => address.IsPostgres ? OpenPostgres(address) : OpenSqlite(address.File!);

    static ResultsReader OpenSqlite(string path)
    {
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
            return Checked(new ResultsReader(full, connection, snapshot, postgres: false), $"{full} is not a Shatter results database (it has no runs table); give --db the shatter.db a sweep wrote.");
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

    static ResultsReader OpenPostgres(DatabaseAddress address)
    {
        var connection = new NpgsqlConnection(address.ConnectionString());
        try
        {
            connection.Open();
            var snapshot = connection.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
            using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, snapshot)) readOnly.ExecuteNonQuery();
            return Checked(new ResultsReader(address.Display, connection, snapshot, postgres: true),
                $"the PostgreSQL database {address.Display} holds no shatter results; run 'shatter sweep SPEC --db {address.Display}' first.");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            connection.Dispose();
            throw new ShatterException($"cannot use the PostgreSQL database {address.Display} ({PostgresStore.Reason(e)}); check that the server runs and the user may log in (password in PGPASSWORD or ~/.pgpass).", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The reader, if its database has the store's runs and run_specs tables; else disposed and an error.</summary>
    static ResultsReader Checked(ResultsReader reader, string notResults)
    {
        var tables = reader.Tables();
        if (tables.Contains("runs") && tables.Contains("run_specs")) return reader;
        reader.Dispose();
        throw new ShatterException(notResults);
    }

    /// <summary>The names of the database's tables (PostgreSQL: those of the current schema), in name order.</summary>
    public IReadOnlyList<string> Tables() =>
        [.. Rows(postgres
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name COLLATE \"C\""
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").Select(r => (string)r[0]!)];

    /// <summary>The columns of <paramref name="table"/>, their kinds from the declared types (SQLite's affinity rules; PostgreSQL's types).</summary>
    public IReadOnlyList<TableColumn> Columns(string table) =>
        [.. Rows(postgres
            ? $"SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '{table.Replace("'", "''")}' ORDER BY ordinal_position"
            : $"SELECT name, type FROM pragma_table_info('{table.Replace("'", "''")}') ORDER BY cid")
            .Select(r => new TableColumn((string)r[0]!, postgres ? PostgresKind((string?)r[1] ?? "") : Affinity((string?)r[1] ?? "")))];

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
            for (int i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : AsSqlite(reader.GetValue(i));
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

    /// <summary>A PostgreSQL value as SQLite would hold it: whole numbers as long, reals as double, times as ISO 8601 UTC text, booleans as 0/1.</summary>
    static object AsSqlite(object value) => value switch
    {
        int i => (long)i,
        short s => (long)s,
        float f => (double)f,
        decimal m => (double)m,
        bool b => b ? 1L : 0L,
        DateTime t => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        _ => value,
    };

    /// <summary>The kind of a PostgreSQL column (information_schema's data_type); booleans are exported as 0/1 integers, as SQLite stores them.</summary>
    static ColumnKind PostgresKind(string type) => type switch
    {
        "integer" or "bigint" or "smallint" or "boolean" => ColumnKind.Integer,
        "double precision" or "real" or "numeric" => ColumnKind.Real,
        _ => ColumnKind.Text,
    };

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
