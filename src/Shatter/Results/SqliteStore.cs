using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Shatter.Training;

namespace Shatter.Results;

/// <summary>
/// The results store in a SQLite file (shatter.db), for a sweep on one machine; everything but its dialect is
/// <see cref="RelationalStore"/>'s. Safe under kills and several processes: WAL journal with a busy timeout; a claim is
/// one IMMEDIATE transaction (SQLite's write lock), so the check and the claim are one step and two workers never hold
/// the same run. Times are TEXT, ISO 8601 UTC with milliseconds, so text order is time order. Opened for reading
/// (<see cref="OpenExisting"/>), it creates no file beside the database and takes no lock when no writer is at work.
/// </summary>
public sealed class SqliteStore : RelationalStore
{
    /// <summary>The migrations after the first schema, in order: index i takes version i + 1 to i + 2.</summary>
    static readonly string[] Migrations =
    [
        // 2: the holder's lease, stored with its claim: only a run silent for longer than its own holder's lease is taken over
        "ALTER TABLE runs ADD COLUMN lease_seconds REAL;",
        // 3: Rademacher and shattering results, in the database like the measures (they were JSON files beside it)
        "CREATE TABLE IF NOT EXISTS capacity(kind TEXT NOT NULL, setting TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (kind, setting)) WITHOUT ROWID;",
    ];

    /// <summary>The schema version this shatter writes (1: the schema as first released, with what joined it since).</summary>
    public static int SchemaVersion => 1 + Migrations.Length;

    SqliteStore(string path, SqliteConnection connection, bool readOnly) : base(path, connection, readOnly) { }

    /// <summary>Opens (creating if needed) the store at <paramref name="path"/> and brings its schema up to date.</summary>
    public static SqliteStore Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        SqliteConnection? connection = null;
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Pooling = false, DefaultTimeout = 60 }.ToString());
            connection.Open();
            var store = new SqliteStore(full, connection, readOnly: false);
            store.Execute("PRAGMA busy_timeout = 60000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;", null);
            store.Migrate();
            return store;
        }
        catch (SqliteException e)
        {
            connection?.Dispose();
            throw new ShatterException($"cannot open the results database {full} ({e.Message.TrimEnd('.')}); give --db a writable SQLite file.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            connection?.Dispose();
            throw new ShatterException($"cannot create the results database {full} ({e.Message.TrimEnd('.')}); give --db a path you can write to.", e);
        }
        catch
        {
            connection?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens an existing store for reading only (the report, <c>runs</c>, <c>export-db</c>, <c>status</c>): no write lock,
    /// no schema change, no file created, so it works on a read-only file or folder and never disturbs a sweep. With no
    /// -wal file beside the database no writer has pages waiting to be merged, so it is opened immutable (SQLite reads
    /// the file as it is, without locks or a -shm file); with one (a sweep is running, or was killed) it is opened
    /// read-only through the usual locking. A store of an older schema is read as it is (tables it lacks read as empty);
    /// a newer one is refused.
    /// </summary>
    public static SqliteStore OpenExisting(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full)) throw new ShatterException($"no results database at {full}; run 'shatter sweep' first or give --db the file it wrote.");
        var source = File.Exists(full + "-wal") ? full : new Uri(full).AbsoluteUri + "?immutable=1";
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = source, Mode = SqliteOpenMode.ReadOnly, Pooling = false, DefaultTimeout = 60,
        }.ToString());
        try
        {
            connection.Open();
            var store = new SqliteStore(full, connection, readOnly: true);
            store.Execute("PRAGMA busy_timeout = 60000;", null);
            if (!store.Tables().Contains("runs") || !store.Tables().Contains("run_specs") || !store.Tables().Contains("meta"))
                throw new ShatterException($"{full} is not a Shatter results database (it has no runs table); give --db the shatter.db a sweep wrote.");
            store.Version = store.ReadVersion(null);
            if (store.Version > SchemaVersion)
                throw new ShatterException($"the results database {full} has schema version {store.Version}, newer than this shatter's {SchemaVersion}; use the shatter that wrote it.");
            return store;
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

    /// <summary>Metrics may be NULL: a diverged run's non-finite losses.</summary>
    const string EpochsColumns = """
        hash TEXT NOT NULL REFERENCES runs(hash), epoch INTEGER NOT NULL, step INTEGER NOT NULL, lr REAL NOT NULL,
        train_loss REAL, train_accuracy REAL, test_loss REAL, test_accuracy REAL, seconds REAL NOT NULL, PRIMARY KEY (hash, epoch)
        """;
    const string StepsColumns = """
        hash TEXT NOT NULL REFERENCES runs(hash), step INTEGER NOT NULL, epoch INTEGER NOT NULL, lr REAL NOT NULL, loss REAL,
        PRIMARY KEY (hash, step)
        """;

    /// <summary>Schema 1, with the tables that joined it over time (each IF NOT EXISTS, so an older schema-1 store gets them).</summary>
    const string FirstSchema = $"""
        CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS runs(
            hash TEXT PRIMARY KEY,
            config_json TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
            worker TEXT, claimed_at TEXT, heartbeat TEXT, started_at TEXT, finished_at TEXT,
            seconds REAL, attempts INTEGER NOT NULL DEFAULT 0, error TEXT,
            summary_json TEXT, run_json TEXT, host_json TEXT,
            created_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS run_specs(
            spec TEXT NOT NULL, scale TEXT NOT NULL, hash TEXT NOT NULL REFERENCES runs(hash),
            ord INTEGER NOT NULL, point_json TEXT NOT NULL,
            PRIMARY KEY (spec, scale, hash));
        CREATE TABLE IF NOT EXISTS epochs({EpochsColumns}) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS steps({StepsColumns}) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS examples(
            hash TEXT NOT NULL REFERENCES runs(hash), idx INTEGER NOT NULL, label_changed INTEGER NOT NULL,
            input_changed INTEGER NOT NULL, first_fit_epoch INTEGER NOT NULL, PRIMARY KEY (hash, idx)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS run_attempts(
            hash TEXT NOT NULL REFERENCES runs(hash), attempt INTEGER NOT NULL, worker TEXT NOT NULL,
            started_at TEXT NOT NULL, finished_at TEXT,
            outcome TEXT NOT NULL DEFAULT 'running' CHECK (outcome IN ('running', 'done', 'failed', 'interrupted', 'lost')),
            error TEXT, PRIMARY KEY (hash, attempt)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS measures(hash TEXT NOT NULL, name TEXT NOT NULL, value REAL, PRIMARY KEY (hash, name)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS measure_series(hash TEXT NOT NULL, name TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (hash, name)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS attacks(hash TEXT NOT NULL, method TEXT NOT NULL, steps INTEGER NOT NULL, set_name TEXT NOT NULL,
            epsilon REAL NOT NULL, epsilon_text TEXT NOT NULL, accuracy REAL NOT NULL, examples INTEGER NOT NULL,
            PRIMARY KEY (hash, method, set_name, epsilon)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS memorization(hash TEXT NOT NULL, epoch INTEGER NOT NULL, grp TEXT NOT NULL, examples INTEGER NOT NULL,
            critical_sample_ratio REAL, loss_sensitivity REAL, seconds REAL NOT NULL, radius REAL NOT NULL,
            PRIMARY KEY (hash, epoch, grp)) WITHOUT ROWID;
        INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', '1');
        """;

    int ReadVersion(DbTransaction? tx) =>
        Scalar("SELECT value FROM meta WHERE key = 'schema_version'", tx) is string v && int.TryParse(v, CultureInfo.InvariantCulture, out var n) ? n : 0;

    void Migrate() => Write(tx =>
    {
        Execute(FirstSchema, tx);
        int version = ReadVersion(tx);
        if (version > SchemaVersion)
            throw new ShatterException($"the results database {Path} has schema version {version}, newer than this shatter's {SchemaVersion}; use the shatter that wrote it.");
        // Stores written before diverged runs were kept declared their losses NOT NULL: rebuild those two tables.
        if (Scalar("SELECT \"notnull\" FROM pragma_table_info('epochs') WHERE name = 'train_loss'", tx) is 1L)
            Execute($"""
                ALTER TABLE epochs RENAME TO epochs_old; CREATE TABLE epochs({EpochsColumns}) WITHOUT ROWID;
                INSERT INTO epochs SELECT * FROM epochs_old; DROP TABLE epochs_old;
                ALTER TABLE steps RENAME TO steps_old; CREATE TABLE steps({StepsColumns}) WITHOUT ROWID;
                INSERT INTO steps SELECT * FROM steps_old; DROP TABLE steps_old;
                """, tx);
        for (int v = version; v < SchemaVersion; v++) Execute(Migrations[v - 1], tx);
        if (version < 3) ImportCapacityFiles(tx);
        Execute("UPDATE meta SET value = @v WHERE key = 'schema_version'", tx, ("@v", SchemaVersion.ToString(CultureInfo.InvariantCulture)));
        Version = SchemaVersion;
        TablesChanged();
    });

    /// <summary>
    /// Schema 3 keeps Rademacher and shattering results in the database: the capacity-*.json files an older shatter wrote
    /// beside this database move in (the files stay; nothing reads them any more).
    /// </summary>
    void ImportCapacityFiles(DbTransaction tx)
    {
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        foreach (var (file, kind) in new[] { ("capacity-rademacher.json", "rademacher"), ("capacity-vc.json", "shattering") })
        {
            var path = System.IO.Path.Combine(folder, file);
            if (!File.Exists(path)) continue;
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(path));
                foreach (var item in doc.RootElement.EnumerateArray())
                {
                    var setting = kind == "rademacher"
                        ? StoredCapacity.Setting(item.Deserialize<RademacherResult>(Json.Options)!)
                        : StoredCapacity.Setting(item.Deserialize<ShatteringResult>(Json.Options)!);
                    Execute("INSERT INTO capacity(kind, setting, json) VALUES (@k, @s, @j) ON CONFLICT (kind, setting) DO UPDATE SET json = excluded.json", tx,
                        ("@k", kind), ("@s", setting), ("@j", item.GetRawText()));
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                throw new ShatterException($"{path} is damaged ({e.Message.TrimEnd('.')}); delete it (rerun 'shatter rademacher' or 'shatter vc' with --report) and run the command again.", e);
            }
        }
    }

    protected override string Backend => "SQLite";

    protected override string Now => "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

    protected override string SecondsSince(string column) => $"((julianday('now') - julianday({column})) * 86400.0)";

    protected override string TimeText(string column) => column;

    protected override string TablesSql => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";

    protected override string ColumnsSql => "SELECT name, type FROM pragma_table_info(@t) ORDER BY cid";

    /// <summary>SQLite's affinity rules (datatype3.html §3.1); BLOB and untyped columns are exported as text.</summary>
    internal override ColumnKind KindOf(string declaredType)
    {
        var t = declaredType.ToUpperInvariant();
        if (t.Contains("INT")) return ColumnKind.Integer;
        if (t.Contains("CHAR") || t.Contains("CLOB") || t.Contains("TEXT")) return ColumnKind.Text;
        if (t.Contains("REAL") || t.Contains("FLOA") || t.Contains("DOUB")) return ColumnKind.Real;
        return t.Length == 0 || t.Contains("BLOB") ? ColumnKind.Text : ColumnKind.Real; // NUMERIC affinity: a number
    }

    protected override DbTransaction BeginSnapshotCore() => ((SqliteConnection)Connection).BeginTransaction(deferred: true);

    /// <remarks>
    /// One IMMEDIATE transaction (the write lock), so the check and the claim are one step. A run held by a worker process
    /// of this host that has ended is free at once, without waiting for its lease.
    /// </remarks>
    protected override (string Hash, string Spec, string Scale, string OldStatus)? ClaimOne(ClaimRequest request) => Transact(tx =>
    {
        var candidates = new List<(string Hash, string Spec, string Scale, string Status, string? Worker, double Silent, double? Lease)>();
        using (var cmd = Command($"""
            SELECT r.hash, s.spec, s.scale, r.status, r.worker, COALESCE({SecondsSince("r.heartbeat")}, 1e300), r.lease_seconds FROM runs r JOIN run_specs s ON s.hash = r.hash
            WHERE (@s IS NULL OR s.spec = @s) AND (@k IS NULL OR s.scale = @k) AND r.status <> 'done' ORDER BY s.spec, s.scale, s.ord
            """, tx, ("@s", request.Spec), ("@k", request.Scale)))
        using (var r = cmd.ExecuteReader())
            while (r.Read())
                candidates.Add((r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetDouble(5), r.IsDBNull(6) ? null : r.GetDouble(6)));
        foreach (var (hash, spec, scale, status, owner, silent, lease) in candidates)
        {
            bool free = status switch
            {
                RunStatus.Queued => !request.Skip.Contains(hash),
                RunStatus.Failed => request.Failed && !request.Skip.Contains(hash),
                RunStatus.Running => owner != request.Worker && (silent > (lease ?? request.Lease.TotalSeconds) || WorkerId.IsDeadHere(owner)),
                _ => false,
            };
            if (!free) continue;
            Execute($"UPDATE runs SET {ClaimSet} WHERE hash = @h AND status = @old", tx,
                ("@w", request.Worker), ("@host", HostInfo.Json()), ("@lease", request.Lease.TotalSeconds), ("@h", hash), ("@old", status));
            tx.Commit();
            return ((string Hash, string Spec, string Scale, string OldStatus)?)(hash, spec, scale, status);
        }
        tx.Commit();
        return null;
    });

    /// <summary>Prepared INSERTs, rebound per row, in the completing transaction.</summary>
    protected override void InsertMetrics(DbTransaction tx, string hash, RunResult result)
    {
        using (var cmd = Command("INSERT INTO epochs VALUES (@h, @e, @s, @lr, @tl, @ta, @vl, @va, @sec)", tx,
            ("@h", hash), ("@e", 0), ("@s", 0L), ("@lr", 0.0), ("@tl", 0.0), ("@ta", 0.0), ("@vl", 0.0), ("@va", 0.0), ("@sec", 0.0)))
            foreach (var e in result.Epochs)
                Run(cmd, e.Epoch, e.Step, e.LearningRate, e.TrainLoss, e.TrainAccuracy, e.TestLoss, e.TestAccuracy, e.Seconds);
        using (var cmd = Command("INSERT INTO steps VALUES (@h, @s, @e, @lr, @l)", tx, ("@h", hash), ("@s", 0L), ("@e", 0), ("@lr", 0.0), ("@l", 0.0)))
            foreach (var s in result.Steps)
                Run(cmd, s.Step, s.Epoch, s.LearningRate, s.Loss);
        using (var cmd = Command("INSERT INTO examples VALUES (@h, @i, @lc, @ic, @f)", tx, ("@h", hash), ("@i", 0), ("@lc", 0), ("@ic", 0), ("@f", 0)))
            foreach (var x in result.Examples)
                Run(cmd, x.Index, x.LabelChanged ? 1 : 0, x.InputChanged ? 1 : 0, x.FirstFitEpoch);
    }

    /// <summary>Executes a prepared INSERT with its parameters after the first (the hash) set to <paramref name="values"/>.</summary>
    static void Run(DbCommand cmd, params object[] values)
    {
        for (int i = 0; i < values.Length; i++) cmd.Parameters[i + 1].Value = Stored(values[i]);
        cmd.ExecuteNonQuery();
    }

    /// <summary>A damaged file, a full disk or a read-only one, a lock held too long: one sentence naming the file.</summary>
    protected override string? Explain(DbException e) => (e as SqliteException)?.SqliteErrorCode switch
    {
        26 => $"cannot read the results database {Path} ({e.Message.TrimEnd('.')}); give --db the shatter.db a sweep wrote.",
        11 => $"the results database {Path} is damaged ({e.Message.TrimEnd('.')}); restore it from a copy, or run the sweep again into a new --db file.",
        13 => $"the disk holding the results database {Path} is full; free space and run the command again (finished runs are kept).",
        8 => $"the results database {Path} is read-only; give --db a file you can write to.",
        10 or 14 => $"cannot read or write the results database {Path} ({e.Message.TrimEnd('.')}); check the file and its folder.",
        5 or 6 => $"the results database {Path} stayed locked by another process for a minute; run the command again when it is free.",
        _ => null,
    };

    /// <summary>SQLite's own consistency check: "ok" when the file is intact.</summary>
    public string IntegrityCheck()
    {
        lock (Gate) return Scalar("PRAGMA integrity_check", null)?.ToString() ?? "";
    }
}
