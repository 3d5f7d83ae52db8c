using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Shatter.Measures;

/// <summary>
/// The measures in the results database (shatter.db), beside the runs: table <c>measures</c> (one row per
/// run and scalar measure) and <c>measure_series</c> (one row per run and series, JSON). Its own tables and
/// connection, created if absent, so the results store's schema is untouched.
/// </summary>
public sealed class MeasureStore : IDisposable
{
    readonly SqliteConnection connection;

    MeasureStore(SqliteConnection connection) => this.connection = connection;

    public static MeasureStore Open(string dbPath)
    {
        if (!File.Exists(dbPath)) throw new ShatterException($"no results database at {dbPath}; run 'shatter sweep' first or give --db the file it wrote.");
        try
        {
            var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(dbPath), Pooling = false, DefaultTimeout = 60 }.ToString());
            c.Open();
            var store = new MeasureStore(c);
            store.Execute("""
                PRAGMA busy_timeout = 60000;
                CREATE TABLE IF NOT EXISTS measures(hash TEXT NOT NULL, name TEXT NOT NULL, value REAL, PRIMARY KEY (hash, name)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS measure_series(hash TEXT NOT NULL, name TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (hash, name)) WITHOUT ROWID;
                """);
            return store;
        }
        catch (SqliteException e)
        {
            throw new ShatterException($"cannot open the results database {dbPath} for the measures ({e.Message.TrimEnd('.')}); give --db a writable SQLite file.", e);
        }
    }

    /// <summary>Replaces the stored measures of run <paramref name="hash"/> by <paramref name="file"/>'s, in one transaction.</summary>
    public void Save(string hash, MeasureFile file)
    {
        using var tx = connection.BeginTransaction();
        Execute("DELETE FROM measures WHERE hash = $h; DELETE FROM measure_series WHERE hash = $h;", tx, ("$h", hash));
        foreach (var (name, value) in file.Values)
            Execute("INSERT INTO measures(hash, name, value) VALUES ($h, $n, $v)", tx, ("$h", hash), ("$n", name), ("$v", value is null ? DBNull.Value : value.Value));
        foreach (var (name, series) in file.Series)
            Execute("INSERT INTO measure_series(hash, name, json) VALUES ($h, $n, $j)", tx, ("$h", hash), ("$n", name), ("$j", JsonSerializer.Serialize(series)));
        tx.Commit();
    }

    /// <summary>Every run's stored measures, by run hash.</summary>
    public Dictionary<string, MeasureFile> All()
    {
        var result = new Dictionary<string, MeasureFile>();
        MeasureFile Of(string hash) => result.TryGetValue(hash, out var f) ? f : result[hash] = new MeasureFile();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT hash, name, value FROM measures";
            using var r = cmd.ExecuteReader();
            while (r.Read()) Of(r.GetString(0)).Values[r.GetString(1)] = r.IsDBNull(2) ? null : r.GetDouble(2);
        }
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT hash, name, json FROM measure_series";
            using var r = cmd.ExecuteReader();
            while (r.Read()) Of(r.GetString(0)).Series[r.GetString(1)] = JsonSerializer.Deserialize<double[]>(r.GetString(2)) ?? [];
        }
        return result;
    }

    /// <summary>Whether the database has the measures tables (a database no 'shatter measures' touched has none).</summary>
    public static bool Has(string dbPath)
    {
        if (!File.Exists(dbPath)) return false;
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(dbPath), Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'measures'";
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    void Execute(string sql, SqliteTransaction? tx = null, params (string Name, object Value)[] args)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v);
        cmd.ExecuteNonQuery();
    }

    public void Dispose() => connection.Dispose();
}
