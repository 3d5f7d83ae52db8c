using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Shatter.Training;

namespace Shatter.Results;

/// <summary>
/// The SQLite results store (shatter.db): runs with their configuration, status, timings and summary,
/// which specs and scales they belong to, and their per-epoch, per-step and per-example metrics.
/// <para>
/// Safe under kills and several processes: WAL journal with a busy timeout; a claim is one IMMEDIATE
/// transaction that takes a run only while it is queued, failed, or running under a dead or silent
/// worker, so two workers never hold the same run; a run's metrics go in with its 'done' status in one
/// transaction, so a killed worker never leaves a half-stored run marked done.
/// </para>
/// One connection per store, guarded by a lock (the heartbeat timer shares it).
/// Non-finite metrics (a diverged run's losses) are stored as NULL and read back as NaN.
/// </summary>
public sealed class ResultsStore : IResultsStore
{
    const int SchemaVersion = 1;
    readonly SqliteConnection connection;
    readonly Lock gate = new();

    public string Path { get; }

    ResultsStore(string path, SqliteConnection connection)
    {
        Path = path;
        this.connection = connection;
    }

    /// <summary>Opens (creating if needed) the store at <paramref name="path"/>.</summary>
    public static ResultsStore Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = full,
                Pooling = false,
                DefaultTimeout = 60,
            }.ToString());
            connection.Open();
            var store = new ResultsStore(full, connection);
            store.Execute("PRAGMA busy_timeout = 60000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
            store.CreateSchema();
            return store;
        }
        catch (SqliteException e)
        {
            throw new ShatterException($"cannot open the results database {full} ({e.Message.TrimEnd('.')}); give --db a writable SQLite file.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ShatterException($"cannot create the results database {full} ({e.Message.TrimEnd('.')}); give --db a path you can write to.", e);
        }
    }

    /// <summary>
    /// Opens an existing store for reading only (the report): it takes no write lock and creates no file, so it works
    /// on a read-only file or folder and never disturbs a sweep. With no -wal file beside the database no writer has
    /// pages waiting to be merged, so it is opened immutable (SQLite then reads the file as it is, without locks or
    /// a -shm file); with one (a sweep is running, or was killed) it is opened read-only through the usual locking.
    /// An error if there is none.
    /// </summary>
    public static ResultsStore OpenExisting(string path)
    {
        if (!File.Exists(path)) throw new ShatterException($"no results database at {path}; run 'shatter sweep' first or give --db the file it wrote.");
        var full = System.IO.Path.GetFullPath(path);
        var source = File.Exists(full + "-wal") ? full : new Uri(full).AbsoluteUri + "?immutable=1";
        try
        {
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = source,
                Mode = SqliteOpenMode.ReadOnly,
                Pooling = false,
                DefaultTimeout = 60,
            }.ToString());
            connection.Open();
            var store = new ResultsStore(full, connection);
            store.Execute("PRAGMA busy_timeout = 60000;");
            var version = store.Scalar("SELECT value FROM meta WHERE key = 'schema_version'", null);
            if (version != SchemaVersion.ToString(CultureInfo.InvariantCulture))
                throw new ShatterException($"the results database {full} has schema version {version}, this shatter reads {SchemaVersion}; use a new --db file.");
            return store;
        }
        catch (SqliteException e)
        {
            throw new ShatterException($"cannot read the results database {full} ({e.Message.TrimEnd('.')}); give --db the SQLite file a sweep wrote.", e);
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

    /// <summary>
    /// The results added beside the runs: the complexity measures (one row per run and scalar measure, NULL: not
    /// computable; one per run and series, a JSON array), the attacks (one row per run, method, set and ε) and the
    /// memorization points (one per run, epoch and group of examples).
    /// </summary>
    const string AddedTables = """
        CREATE TABLE IF NOT EXISTS measures(hash TEXT NOT NULL, name TEXT NOT NULL, value REAL, PRIMARY KEY (hash, name)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS measure_series(hash TEXT NOT NULL, name TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (hash, name)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS attacks(hash TEXT NOT NULL, method TEXT NOT NULL, steps INTEGER NOT NULL, set_name TEXT NOT NULL,
            epsilon REAL NOT NULL, epsilon_text TEXT NOT NULL, accuracy REAL NOT NULL, examples INTEGER NOT NULL,
            PRIMARY KEY (hash, method, set_name, epsilon)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS memorization(hash TEXT NOT NULL, epoch INTEGER NOT NULL, grp TEXT NOT NULL, examples INTEGER NOT NULL,
            critical_sample_ratio REAL, loss_sensitivity REAL, seconds REAL NOT NULL, radius REAL NOT NULL,
            PRIMARY KEY (hash, epoch, grp)) WITHOUT ROWID;
        """;

    void CreateSchema()
    {
        lock (gate)
        {
            using var tx = connection.BeginTransaction();
            Execute($"""
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
                CREATE TABLE IF NOT EXISTS epochs(
                    {EpochsColumns}) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS steps(
                    {StepsColumns}) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS examples(
                    hash TEXT NOT NULL REFERENCES runs(hash), idx INTEGER NOT NULL, label_changed INTEGER NOT NULL,
                    input_changed INTEGER NOT NULL, first_fit_epoch INTEGER NOT NULL, PRIMARY KEY (hash, idx)) WITHOUT ROWID;
                -- added within schema 1: every attempt at a run (opening an older store creates it)
                CREATE TABLE IF NOT EXISTS run_attempts(
                    hash TEXT NOT NULL REFERENCES runs(hash), attempt INTEGER NOT NULL, worker TEXT NOT NULL,
                    started_at TEXT NOT NULL, finished_at TEXT,
                    outcome TEXT NOT NULL DEFAULT 'running' CHECK (outcome IN ('running', 'done', 'failed', 'interrupted', 'lost')),
                    error TEXT, PRIMARY KEY (hash, attempt)) WITHOUT ROWID;
                -- added within schema 1: measures, attacks, memorization (older stores made them on first use)
                {AddedTables}
                INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', '1');
                """, tx);
            var version = Scalar("SELECT value FROM meta WHERE key = 'schema_version'", tx);
            if (version != SchemaVersion.ToString(CultureInfo.InvariantCulture))
                throw new ShatterException($"the results database {Path} has schema version {version}, this shatter writes {SchemaVersion}; use a new --db file.");
            // Stores written before diverged runs were kept declared their losses NOT NULL: rebuild those two tables.
            if (Scalar("SELECT \"notnull\" FROM pragma_table_info('epochs') WHERE name = 'train_loss'", tx) == "1")
                Execute($"""
                    ALTER TABLE epochs RENAME TO epochs_old; CREATE TABLE epochs({EpochsColumns}) WITHOUT ROWID;
                    INSERT INTO epochs SELECT * FROM epochs_old; DROP TABLE epochs_old;
                    ALTER TABLE steps RENAME TO steps_old; CREATE TABLE steps({StepsColumns}) WITHOUT ROWID;
                    INSERT INTO steps SELECT * FROM steps_old; DROP TABLE steps_old;
                    """, tx);
            tx.Commit();
        }
    }

    /// <summary>
    /// Makes <paramref name="runs"/> the runs of a spec at a scale. A run already stored (from any spec) keeps
    /// its state and results; runs that an edited spec no longer lists stay stored but leave the spec (so
    /// neither the sweep nor the report sees them under it).
    /// </summary>
    public void Register(string spec, string scale, IReadOnlyList<PlannedRun> runs)
    {
        lock (gate)
        {
            using var tx = connection.BeginTransaction();
            Execute("DELETE FROM run_specs WHERE spec = $s AND scale = $k", tx, ("$s", spec), ("$k", scale));
            foreach (var run in runs)
            {
                Execute("INSERT OR IGNORE INTO runs(hash, config_json, created_at) VALUES ($h, $c, $t)", tx,
                    ("$h", run.Hash), ("$c", Json.Serialize(run.Config)), ("$t", Now()));
                Execute("INSERT OR REPLACE INTO run_specs(spec, scale, hash, ord, point_json) VALUES ($s, $k, $h, $o, $p)", tx,
                    ("$s", spec), ("$k", scale), ("$h", run.Hash), ("$o", run.Order), ("$p", JsonSerializer.Serialize(run.Point)));
            }
            tx.Commit();
        }
    }

    /// <summary>
    /// Takes the first run of (spec, scale), in grid order, that nobody is working on: queued, failed (unless in
    /// <paramref name="skip"/>), or running under a worker that died on this host or whose heartbeat is older
    /// than <paramref name="stale"/>. Null when there is none.
    /// </summary>
    public ClaimedRun? Claim(string spec, string scale, string worker, IReadOnlySet<string> skip, TimeSpan stale) =>
        Claim(new ClaimRequest(spec, scale, worker, skip, stale));

    /// <inheritdoc/>
    /// <remarks>
    /// One IMMEDIATE transaction (SQLite's write lock), so the check and the claim are one step. A run held by a
    /// worker process of this host that has ended is free at once, without waiting for its lease.
    /// </remarks>
    public ClaimedRun? Claim(ClaimRequest request)
    {
        var (spec, scale, worker, skip, stale, failed) = (request.Spec, request.Scale, request.Worker, request.Skip, request.Lease, request.Failed);
        lock (gate)
        {
            using var tx = connection.BeginTransaction();  // BEGIN IMMEDIATE: the write lock, so the check and the claim are one step
            var staleBefore = Stamp(DateTime.UtcNow - stale);
            var candidates = new List<(string Hash, string Spec, string Scale, string Status, string? Worker, string? Heartbeat)>();
            using (var cmd = Command("""
                SELECT r.hash, s.spec, s.scale, r.status, r.worker, r.heartbeat FROM runs r JOIN run_specs s ON s.hash = r.hash
                WHERE ($s IS NULL OR s.spec = $s) AND ($k IS NULL OR s.scale = $k) AND r.status <> 'done' ORDER BY s.spec, s.scale, s.ord
                """, tx, ("$s", spec), ("$k", scale)))
            using (var reader = cmd.ExecuteReader())
                while (reader.Read())
                    candidates.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                        reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
            foreach (var (hash, ofSpec, ofScale, status, owner, heartbeat) in candidates)
            {
                bool free = status switch
                {
                    RunStatus.Queued => true,
                    RunStatus.Failed => failed && !skip.Contains(hash),
                    RunStatus.Running => owner != worker && (string.CompareOrdinal(heartbeat ?? "", staleBefore) < 0 || WorkerId.IsDeadHere(owner)),
                    _ => false,
                };
                if (!free) continue;
                var now = Now();
                Execute("""
                    UPDATE runs SET status = 'running', worker = $w, claimed_at = $t, heartbeat = $t, started_at = $t,
                        attempts = attempts + 1, error = NULL, host_json = $host
                    WHERE hash = $h AND status = $old
                    """, tx, ("$w", worker), ("$t", now), ("$h", hash), ("$old", status), ("$host", HostInfo.Json()));
                tx.Commit();
                return new ClaimedRun(Get(hash, ofSpec, ofScale)!, Resume: status != RunStatus.Queued);
            }
            tx.Commit();
            return null;
        }
    }

    public void Release(string hash, string worker)
    {
        lock (gate)
            Execute("UPDATE runs SET status = 'queued', worker = NULL, error = NULL WHERE hash = $h AND worker = $w AND status = 'running'", null,
                ("$h", hash), ("$w", worker));
    }

    public int Requeue(string spec, string scale)
    {
        lock (gate)
            return Execute("""
                UPDATE runs SET status = 'queued', worker = NULL, error = NULL
                WHERE status = 'failed' AND hash IN (SELECT hash FROM run_specs WHERE spec = $s AND scale = $k)
                """, null, ("$s", spec), ("$k", scale));
    }

    public IReadOnlyList<RunLease> Leases()
    {
        lock (gate)
        {
            using var cmd = Command("SELECT hash, worker, heartbeat FROM runs WHERE status = 'running' ORDER BY hash", null);
            using var r = cmd.ExecuteReader();
            var list = new List<RunLease>();
            var now = DateTime.UtcNow;
            while (r.Read())
            {
                var beat = r.IsDBNull(2) ? DateTime.MinValue : DateTime.Parse(r.GetString(2), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
                list.Add(new RunLease(r.GetString(0), r.IsDBNull(1) ? "" : r.GetString(1), (now - beat).TotalSeconds));
            }
            return list;
        }
    }

    /// <summary>Marks the run alive; false when this worker no longer holds it.</summary>
    public bool Heartbeat(string hash, string worker)
    {
        lock (gate)
            return Execute("UPDATE runs SET heartbeat = $t WHERE hash = $h AND worker = $w AND status = 'running'", null,
                ("$t", Now()), ("$h", hash), ("$w", worker)) == 1;
    }

    /// <summary>
    /// Stores the run's metrics and marks it done, in one transaction. False (and nothing stored) when this
    /// worker no longer holds the run.
    /// </summary>
    public bool Complete(string hash, string worker, RunResult result)
    {
        lock (gate)
        {
            using var tx = connection.BeginTransaction();
            int updated = Execute("""
                UPDATE runs SET status = 'done', finished_at = $t, heartbeat = $t, seconds = $sec, error = NULL,
                    summary_json = $sum, run_json = $run
                WHERE hash = $h AND worker = $w AND status = 'running'
                """, tx, ("$t", Now()), ("$sec", result.Seconds), ("$sum", result.SummaryJson), ("$run", result.RunJson), ("$h", hash), ("$w", worker));
            if (updated != 1)
            {
                tx.Rollback();
                return false;
            }
            foreach (var table in new[] { "epochs", "steps", "examples" })
                Execute($"DELETE FROM {table} WHERE hash = $h", tx, ("$h", hash));
            using (var cmd = Command("INSERT INTO epochs VALUES ($h, $e, $s, $lr, $tl, $ta, $vl, $va, $sec)", tx,
                ("$h", hash), ("$e", 0), ("$s", 0L), ("$lr", 0.0), ("$tl", 0.0), ("$ta", 0.0), ("$vl", 0.0), ("$va", 0.0), ("$sec", 0.0)))
                foreach (var e in result.Epochs)
                {
                    Bind(cmd, ("$e", e.Epoch), ("$s", e.Step), ("$lr", e.LearningRate), ("$tl", e.TrainLoss), ("$ta", e.TrainAccuracy),
                        ("$vl", e.TestLoss), ("$va", e.TestAccuracy), ("$sec", e.Seconds));
                    cmd.ExecuteNonQuery();
                }
            using (var cmd = Command("INSERT INTO steps VALUES ($h, $s, $e, $lr, $l)", tx, ("$h", hash), ("$s", 0L), ("$e", 0), ("$lr", 0.0), ("$l", 0.0)))
                foreach (var s in result.Steps)
                {
                    Bind(cmd, ("$s", s.Step), ("$e", s.Epoch), ("$lr", s.LearningRate), ("$l", s.Loss));
                    cmd.ExecuteNonQuery();
                }
            using (var cmd = Command("INSERT INTO examples VALUES ($h, $i, $lc, $ic, $f)", tx, ("$h", hash), ("$i", 0), ("$lc", 0), ("$ic", 0), ("$f", 0)))
                foreach (var x in result.Examples)
                {
                    Bind(cmd, ("$i", x.Index), ("$lc", x.LabelChanged ? 1 : 0), ("$ic", x.InputChanged ? 1 : 0), ("$f", x.FirstFitEpoch));
                    cmd.ExecuteNonQuery();
                }
            tx.Commit();
            return true;
        }
    }

    /// <summary>Marks the run failed with its error (the next sweep resumes it).</summary>
    public void Fail(string hash, string worker, string error)
    {
        lock (gate)
            Execute("UPDATE runs SET status = 'failed', finished_at = $t, error = $e WHERE hash = $h AND worker = $w AND status = 'running'", null,
                ("$t", Now()), ("$e", error), ("$h", hash), ("$w", worker));
    }

    /// <summary>Stores a spec's <c>report:</c> hints (in the meta table, key report_hints/SPEC), or removes them when null.</summary>
    public void SaveReportHints(string spec, ReportHints? hints)
    {
        lock (gate)
        {
            if (hints is null) Execute("DELETE FROM meta WHERE key = $k", null, ("$k", "report_hints/" + spec));
            else Execute("INSERT OR REPLACE INTO meta(key, value) VALUES ($k, $v)", null, ("$k", "report_hints/" + spec), ("$v", Json.Serialize(hints)));
        }
    }

    /// <summary>A spec's stored <c>report:</c> hints; null when it has none.</summary>
    public ReportHints? ReportHints(string spec)
    {
        lock (gate)
        {
            var json = Scalar("SELECT value FROM meta WHERE key = $k", null, ("$k", "report_hints/" + spec));
            return json is null ? null : JsonSerializer.Deserialize<ReportHints>(json, Json.Options);
        }
    }

    /// <summary>The runs of a spec and scale (both optional filters), in spec, scale and grid order.</summary>
    public IReadOnlyList<RunRecord> Runs(string? spec = null, string? scale = null)
    {
        return Query(StoreRows.Runs, $"""
            {SelectRun} WHERE ($s IS NULL OR s.spec = $s) AND ($k IS NULL OR s.scale = $k) ORDER BY s.spec, s.scale, s.ord
            """, ("$s", spec), ("$k", scale));
    }

    /// <summary>One run as seen from (spec, scale); null if it is not part of it.</summary>
    public RunRecord? Get(string hash, string spec, string scale)
    {
        return Query(StoreRows.Runs, $"{SelectRun} WHERE r.hash = $h AND s.spec = $s AND s.scale = $k", ("$h", hash), ("$s", spec), ("$k", scale)).SingleOrDefault();
    }

    /// <summary>(spec, scale) pairs present in the store.</summary>
    public IReadOnlyList<(string Spec, string Scale)> Sections()
    {
        return Query(StoreRows.Sections, "SELECT DISTINCT spec, scale FROM run_specs ORDER BY spec, scale");
    }

    public IReadOnlyList<EpochMetrics> Epochs(string hash)
    {
        return Query(StoreRows.Epochs, "SELECT epoch, step, lr, train_loss, train_accuracy, test_loss, test_accuracy, seconds FROM epochs WHERE hash = $h ORDER BY epoch", ("$h", hash));
    }

    public IReadOnlyList<StepRow> Steps(string hash)
    {
        return Query(StoreRows.Steps, "SELECT step, epoch, lr, loss FROM steps WHERE hash = $h ORDER BY step", ("$h", hash));
    }

    public IReadOnlyList<ExampleRow> Examples(string hash)
    {
        return Query(StoreRows.Examples, "SELECT idx, label_changed, input_changed, first_fit_epoch FROM examples WHERE hash = $h ORDER BY idx", ("$h", hash));
    }

    /// <summary>
    /// Records the start of an attempt at a run this worker holds and returns its number: one more than the
    /// run's last attempt (or its claim count, for runs claimed before attempts were recorded). An earlier
    /// attempt still marked running lost its worker: it is marked lost.
    /// </summary>
    public int BeginAttempt(string hash, string worker)
    {
        lock (gate)
        {
            using var tx = connection.BeginTransaction();
            var now = Now();
            Execute("UPDATE run_attempts SET outcome = 'lost', finished_at = $t WHERE hash = $h AND outcome = 'running'", tx, ("$t", now), ("$h", hash));
            int number;
            using (var cmd = Command("SELECT MAX(COALESCE((SELECT MAX(attempt) FROM run_attempts WHERE hash = $h), 0) + 1, (SELECT attempts FROM runs WHERE hash = $h))",
                tx, ("$h", hash)))
                number = Convert.ToInt32(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
            Execute("INSERT INTO run_attempts(hash, attempt, worker, started_at) VALUES ($h, $a, $w, $t)", tx,
                ("$h", hash), ("$a", number), ("$w", worker), ("$t", now));
            Execute("UPDATE runs SET attempts = $a WHERE hash = $h", tx, ("$a", number), ("$h", hash));
            tx.Commit();
            return number;
        }
    }

    /// <summary>Records how an attempt ended (<see cref="AttemptOutcome"/>) and its error, if any.</summary>
    public void EndAttempt(string hash, int attempt, string outcome, string? error = null)
    {
        lock (gate)
            Execute("UPDATE run_attempts SET outcome = $o, finished_at = $t, error = $e WHERE hash = $h AND attempt = $a", null,
                ("$o", outcome), ("$t", Now()), ("$e", error), ("$h", hash), ("$a", attempt));
    }

    /// <summary>Every attempt at a run, or at every run when <paramref name="hash"/> is null, by run and number.</summary>
    public IReadOnlyList<RunAttempt> Attempts(string? hash = null)
    {
        lock (gate)
        {
            using var cmd = Command("SELECT hash, attempt, worker, started_at, finished_at, outcome, error FROM run_attempts WHERE $h IS NULL OR hash = $h ORDER BY hash, attempt",
                null, ("$h", hash));
            using var r = cmd.ExecuteReader();
            var list = new List<RunAttempt>();
            while (r.Read())
                list.Add(new RunAttempt(r.GetString(0), r.GetInt32(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4),
                    r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6)));
            return list;
        }
    }

    public void SaveMeasures(string hash, MeasureFile file)
    {
        lock (gate)
        {
            using var tx = connection.BeginTransaction();
            Execute("DELETE FROM measures WHERE hash = $h; DELETE FROM measure_series WHERE hash = $h;", tx, ("$h", hash));
            foreach (var (name, value) in file.Values)
                Execute("INSERT INTO measures(hash, name, value) VALUES ($h, $n, $v)", tx, ("$h", hash), ("$n", name), ("$v", value));
            foreach (var (name, series) in file.Series)
                Execute("INSERT INTO measure_series(hash, name, json) VALUES ($h, $n, $j)", tx, ("$h", hash), ("$n", name), ("$j", JsonSerializer.Serialize(series)));
            tx.Commit();
        }
    }

    /// <inheritdoc/>
    /// <remarks>A store opened read-only that no 'shatter measures' wrote to before the tables were part of the schema has none: no measures.</remarks>
    public IReadOnlyDictionary<string, MeasureFile> Measures()
    {
        lock (gate)
        {
            var result = new Dictionary<string, MeasureFile>();
            if (Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('measures', 'measure_series')", null) != "2") return result;
            MeasureFile Of(string hash) => result.TryGetValue(hash, out var f) ? f : result[hash] = new MeasureFile();
            using (var cmd = Command("SELECT hash, name, value FROM measures ORDER BY hash, name", null))
            using (var r = cmd.ExecuteReader())
                while (r.Read()) Of(r.GetString(0)).Values[r.GetString(1)] = r.IsDBNull(2) ? null : r.GetDouble(2);
            using (var cmd = Command("SELECT hash, name, json FROM measure_series ORDER BY hash, name", null))
            using (var r = cmd.ExecuteReader())
                while (r.Read()) Of(r.GetString(0)).Series[r.GetString(1)] = JsonSerializer.Deserialize<double[]>(r.GetString(2)) ?? [];
            return result;
        }
    }

    public void SaveAttack(string hash, AttackReport report)
    {
        lock (gate)
        {
            using var tx = connection.BeginTransaction();
            var method = report.Method.ToString().ToLowerInvariant();
            Execute("DELETE FROM attacks WHERE hash = $h AND method = $m", tx, ("$h", hash), ("$m", method));
            foreach (var p in report.Points)
                Execute("INSERT OR REPLACE INTO attacks VALUES ($h, $m, $s, $set, $e, $t, $a, $n)", tx, ("$h", hash), ("$m", method), ("$s", report.Steps),
                    ("$set", p.Set), ("$e", p.Epsilon), ("$t", p.EpsilonText), ("$a", p.Accuracy), ("$n", p.Examples));
            tx.Commit();
        }
    }

    public void SaveMemorization(string hash, MemorizationFile file)
    {
        lock (gate)
        {
            using var tx = connection.BeginTransaction();
            Execute("DELETE FROM memorization WHERE hash = $h", tx, ("$h", hash));
            foreach (var p in file.Points)
                Execute("INSERT OR REPLACE INTO memorization VALUES ($h, $e, $g, $n, $c, $l, $s, $r)", tx, ("$h", hash), ("$e", p.Epoch), ("$g", p.Group),
                    ("$n", p.Examples), ("$c", p.CriticalSampleRatio), ("$l", p.LossSensitivity), ("$s", p.Seconds), ("$r", file.Radius));
            tx.Commit();
        }
    }

    public IReadOnlyList<StoredAttack> Attacks()
    {
        lock (gate)
        {
            var list = new List<StoredAttack>();
            if (Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'attacks'", null) != "1") return list;
            using var cmd = Command("SELECT hash, method, steps, set_name, epsilon, epsilon_text, accuracy, examples FROM attacks ORDER BY hash, method, set_name, epsilon", null);
            using var r = cmd.ExecuteReader();
            while (r.Read()) list.Add(new StoredAttack(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetString(3), r.GetDouble(4), r.GetString(5), r.GetDouble(6), r.GetInt32(7)));
            return list;
        }
    }

    public IReadOnlyList<(string Hash, MemorizationPoint Point)> Memorization()
    {
        lock (gate)
        {
            var list = new List<(string, MemorizationPoint)>();
            if (Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'memorization'", null) != "1") return list;
            using var cmd = Command("SELECT hash, epoch, grp, examples, critical_sample_ratio, loss_sensitivity, seconds FROM memorization ORDER BY hash, epoch, grp", null);
            using var r = cmd.ExecuteReader();
            while (r.Read())
                list.Add((r.GetString(0), new MemorizationPoint(r.GetInt32(1), r.GetString(2), r.GetInt32(3), r.IsDBNull(4) ? double.NaN : r.GetDouble(4),
                    r.IsDBNull(5) ? double.NaN : r.GetDouble(5), r.GetDouble(6))));
            return list;
        }
    }

    /// <summary>SQLite's own consistency check: "ok" when the file is intact.</summary>
    public string IntegrityCheck()
    {
        lock (gate) return Scalar("PRAGMA integrity_check", null) ?? "";
    }

    public void Dispose() => connection.Dispose();

    const string SelectRun = """
        SELECT r.hash, s.spec, s.scale, s.ord, s.point_json, r.config_json, r.status, r.worker, r.started_at, r.finished_at,
               r.attempts, r.error, r.summary_json, r.run_json, r.host_json
        FROM runs r JOIN run_specs s ON s.hash = r.hash
        """;

    /// <summary>One read under the store's lock: the statement's rows, mapped by one of <see cref="StoreRows"/>.</summary>
    List<T> Query<T>(Func<System.Data.Common.DbDataReader, List<T>> map, string sql, params (string Name, object? Value)[] parameters)
    {
        lock (gate)
        {
            using var cmd = Command(sql, null, parameters);
            using var r = cmd.ExecuteReader();
            return map(r);
        }
    }

    /// <summary>What a parameter stores: NULL for null and for NaN or ±∞ (SQLite would keep ±∞, JSON could not).</summary>
    static object Stored(object? value) => value switch
    {
        null => DBNull.Value,
        double d when !double.IsFinite(d) => DBNull.Value,
        float f when !float.IsFinite(f) => DBNull.Value,
        _ => value,
    };

    static string Now() => Stamp(DateTime.UtcNow);

    /// <summary>UTC, fixed width, so text order is time order.</summary>
    static string Stamp(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    SqliteCommand Command(string sql, SqliteTransaction? tx, params (string Name, object? Value)[] parameters)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, Stored(value));
        return cmd;
    }

    static void Bind(SqliteCommand cmd, params (string Name, object? Value)[] parameters)
    {
        foreach (var (name, value) in parameters) cmd.Parameters[name].Value = Stored(value);
    }

    int Execute(string sql, SqliteTransaction? tx = null, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(sql, tx, parameters);
        return cmd.ExecuteNonQuery();
    }

    string? Scalar(string sql, SqliteTransaction? tx, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(sql, tx, parameters);
        return cmd.ExecuteScalar()?.ToString();
    }
}
