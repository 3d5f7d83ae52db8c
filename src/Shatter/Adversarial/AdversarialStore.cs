using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Shatter.Adversarial;

/// <summary>A stored attack point: run, method and steps, set, ε, accuracy under attack.</summary>
public sealed record StoredAttack(string Hash, string Method, int Steps, string Set, double Epsilon, string EpsilonText, double Accuracy, int Examples);

/// <summary>
/// The adversarial results in the results database (shatter.db), beside the runs: table <c>attacks</c> (one row per
/// run, method, set and ε, from <c>shatter attack</c>) and <c>memorization</c> (one row per run, epoch and group, from
/// a run's memorization.json). Its own tables and connection, created if absent, so the results store's schema is
/// untouched (like the measures' tables).
/// </summary>
public sealed class AdversarialStore : IDisposable
{
    readonly SqliteConnection connection;

    AdversarialStore(SqliteConnection connection) => this.connection = connection;

    /// <summary>Opens the tables of an existing database for writing (creating them if absent).</summary>
    public static AdversarialStore Open(string dbPath)
    {
        if (!File.Exists(dbPath)) throw new ShatterException($"no results database at {dbPath}; run 'shatter sweep' first or give --db the file it wrote.");
        try
        {
            var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(dbPath), Pooling = false, DefaultTimeout = 60 }.ToString());
            c.Open();
            var store = new AdversarialStore(c);
            store.Execute("""
                PRAGMA busy_timeout = 60000;
                CREATE TABLE IF NOT EXISTS attacks(hash TEXT NOT NULL, method TEXT NOT NULL, steps INTEGER NOT NULL, set_name TEXT NOT NULL,
                    epsilon REAL NOT NULL, epsilon_text TEXT NOT NULL, accuracy REAL NOT NULL, examples INTEGER NOT NULL,
                    PRIMARY KEY (hash, method, set_name, epsilon)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS memorization(hash TEXT NOT NULL, epoch INTEGER NOT NULL, grp TEXT NOT NULL, examples INTEGER NOT NULL,
                    critical_sample_ratio REAL, loss_sensitivity REAL, seconds REAL NOT NULL, radius REAL NOT NULL,
                    PRIMARY KEY (hash, epoch, grp)) WITHOUT ROWID;
                """);
            return store;
        }
        catch (SqliteException e)
        {
            throw new ShatterException($"cannot open the results database {dbPath} for the adversarial results ({e.Message.TrimEnd('.')}); give --db a writable SQLite file.", e);
        }
    }

    /// <summary>Replaces run <paramref name="hash"/>'s stored points of <paramref name="report"/>'s method, in one transaction.</summary>
    public void SaveAttack(string hash, AttackReport report)
    {
        using var tx = connection.BeginTransaction();
        var method = report.Method.ToString().ToLowerInvariant();
        Execute("DELETE FROM attacks WHERE hash = $h AND method = $m", tx, ("$h", hash), ("$m", method));
        foreach (var p in report.Points)
            Execute("INSERT OR REPLACE INTO attacks VALUES ($h, $m, $s, $set, $e, $t, $a, $n)", tx, ("$h", hash), ("$m", method), ("$s", report.Steps),
                ("$set", p.Set), ("$e", p.Epsilon), ("$t", p.EpsilonText), ("$a", p.Accuracy), ("$n", p.Examples));
        tx.Commit();
    }

    /// <summary>Replaces run <paramref name="hash"/>'s stored memorization points by <paramref name="file"/>'s, in one transaction.</summary>
    public void SaveMemorization(string hash, MemorizationFile file)
    {
        using var tx = connection.BeginTransaction();
        Execute("DELETE FROM memorization WHERE hash = $h", tx, ("$h", hash));
        foreach (var p in file.Points)
            Execute("INSERT OR REPLACE INTO memorization VALUES ($h, $e, $g, $n, $c, $l, $s, $r)", tx, ("$h", hash), ("$e", p.Epoch), ("$g", p.Group),
                ("$n", p.Examples), ("$c", Nullable(p.CriticalSampleRatio)), ("$l", Nullable(p.LossSensitivity)), ("$s", p.Seconds), ("$r", file.Radius));
        tx.Commit();
    }

    /// <summary>Every stored attack point, or none when no attack was stored (the database is only read).</summary>
    public static IReadOnlyList<StoredAttack> Attacks(string dbPath) => Read(dbPath, "attacks",
        "SELECT hash, method, steps, set_name, epsilon, epsilon_text, accuracy, examples FROM attacks ORDER BY hash, method, set_name, epsilon",
        r => new StoredAttack(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetString(3), r.GetDouble(4), r.GetString(5), r.GetDouble(6), r.GetInt32(7)));

    /// <summary>Every stored memorization point by run hash, or none (the database is only read).</summary>
    public static IReadOnlyList<(string Hash, MemorizationPoint Point)> Memorization(string dbPath) => Read(dbPath, "memorization",
        "SELECT hash, epoch, grp, examples, critical_sample_ratio, loss_sensitivity, seconds FROM memorization ORDER BY hash, epoch, grp",
        r => (r.GetString(0), new MemorizationPoint(r.GetInt32(1), r.GetString(2), r.GetInt32(3), r.IsDBNull(4) ? double.NaN : r.GetDouble(4),
            r.IsDBNull(5) ? double.NaN : r.GetDouble(5), r.GetDouble(6))));

    static List<T> Read<T>(string dbPath, string table, string sql, Func<SqliteDataReader, T> row)
    {
        var list = new List<T>();
        if (!File.Exists(dbPath)) return list;
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(dbPath), Pooling = false, Mode = SqliteOpenMode.ReadOnly, DefaultTimeout = 60 }.ToString());
        c.Open();
        using (var check = c.CreateCommand())
        {
            check.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $t";
            check.Parameters.AddWithValue("$t", table);
            if (Convert.ToInt64(check.ExecuteScalar(), CultureInfo.InvariantCulture) == 0) return list;
        }
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        while (r.Read()) list.Add(row(r));
        return list;
    }

    static object Nullable(double v) => double.IsFinite(v) ? v : DBNull.Value;

    void Execute(string sql, SqliteTransaction? tx = null, params (string Name, object Value)[] args)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value);
        cmd.ExecuteNonQuery();
    }

    public void Dispose() => connection.Dispose();
}
