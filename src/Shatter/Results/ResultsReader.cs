using System.Data.Common;

namespace Shatter.Results;

/// <summary>
/// A read-only view of a results database for listing and export (<c>shatter runs</c>, <c>shatter export-db</c>),
/// SQLite or PostgreSQL: the store opened for reading only (<see cref="Stores.OpenExisting"/>: it never creates,
/// migrates or writes, and leaves no file beside a SQLite database), so it is safe beside a running sweep, and
/// everything read through one reader comes from one snapshot (a read transaction; REPEATABLE READ on PostgreSQL).
/// Tables and columns are discovered with queries, not assumed, so columns other versions of the store add are read
/// too; SQL NULL comes back as null. PostgreSQL cells come back as SQLite's would: times as ISO 8601 text (UTC),
/// booleans as 0 and 1, integers as long, so both backends export the same tables.
/// </summary>
public sealed class ResultsReader : IDisposable
{
    readonly RelationalStore store;
    readonly DbTransaction snapshot;

    public string Path => store.Path;

    ResultsReader(RelationalStore store, DbTransaction snapshot)
    {
        this.store = store;
        this.snapshot = snapshot;
    }

    /// <summary>Opens the database at <paramref name="path"/> (a SQLite file or a PostgreSQL URL).</summary>
    public static ResultsReader Open(string path) => Open(DatabaseAddress.Parse(path));

    /// <summary>Opens the database <paramref name="address"/> names; one-sentence errors for a missing file, an unreachable server, or a database that holds no results.</summary>
    public static ResultsReader Open(DatabaseAddress address)
    {
        var store = Stores.OpenExisting(address);
        try
        {
            return new ResultsReader(store, store.BeginSnapshot());
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>The names of the database's tables (PostgreSQL: those of the current schema), in name order.</summary>
    public IReadOnlyList<string> Tables() => store.Tables();

    /// <summary>The columns of <paramref name="table"/>, their kinds from the declared types (SQLite's affinity rules; PostgreSQL's types).</summary>
    public IReadOnlyList<TableColumn> Columns(string table) => store.Columns(table);

    /// <summary>The rows of a query, streamed: each cell null, string, long or double as SQLite stored it.</summary>
    public IEnumerable<object?[]> Rows(string sql)
    {
        using var cmd = store.ReaderCommand(sql, snapshot);
        using var reader = store.Guarded(cmd.ExecuteReader);
        while (store.Guarded(reader.Read))
        {
            var row = new object?[reader.FieldCount];
            for (int i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : AsSqlite(reader.GetValue(i));
            yield return row;
        }
    }

    /// <summary>The column names a query returns.</summary>
    public IReadOnlyList<string> ColumnNames(string sql)
    {
        using var cmd = store.ReaderCommand(sql, snapshot);
        using var reader = store.Guarded(() => cmd.ExecuteReader(System.Data.CommandBehavior.SchemaOnly));
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
        store.Dispose();
    }
}
