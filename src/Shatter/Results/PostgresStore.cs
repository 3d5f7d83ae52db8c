using System.Globalization;
using System.Text.Json;
using Npgsql;
using Shatter.Training;

namespace Shatter.Results;

/// <summary>
/// The results store on a PostgreSQL server, for sweeps served by workers on many machines (docs/scale-out.md).
/// The same tables as the SQLite store (<see cref="ResultsStore"/>), with server-side times: a claim is one
/// statement (<c>UPDATE … FROM (SELECT … FOR UPDATE SKIP LOCKED LIMIT 1)</c>), so any number of workers claim at
/// once without blocking each other or taking the same run; leases are compared with the server's clock, so the
/// workers' clocks do not matter. A run's metrics go in with its 'done' status in one transaction.
/// <para>
/// The schema is versioned in <c>meta.schema_version</c> and migrated explicitly: <see cref="Migrations"/>[i]
/// brings version i to i + 1, each in one transaction under an advisory lock, so workers starting together
/// migrate once. A database written by a newer shatter is refused.
/// </para>
/// One connection per store, guarded by a lock (the heartbeat timer shares it).
/// Non-finite metrics (a diverged run's losses) are stored as NULL and read back as NaN, as in SQLite.
/// </summary>
public sealed class PostgresStore : IResultsStore
{
    /// <summary>The schema migrations, in order: index i takes version i to i + 1.</summary>
    static readonly string[] Migrations =
    [
        """
        CREATE TABLE IF NOT EXISTS runs(
            hash TEXT PRIMARY KEY,
            config_json TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
            worker TEXT, claimed_at TIMESTAMPTZ, heartbeat TIMESTAMPTZ, started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ,
            seconds DOUBLE PRECISION, attempts INTEGER NOT NULL DEFAULT 0, error TEXT,
            summary_json TEXT, run_json TEXT, host_json TEXT,
            created_at TIMESTAMPTZ NOT NULL DEFAULT now());
        CREATE INDEX IF NOT EXISTS runs_status ON runs(status);
        CREATE TABLE IF NOT EXISTS run_specs(
            spec TEXT NOT NULL, scale TEXT NOT NULL, hash TEXT NOT NULL REFERENCES runs(hash),
            ord INTEGER NOT NULL, point_json TEXT NOT NULL,
            PRIMARY KEY (spec, scale, hash));
        CREATE INDEX IF NOT EXISTS run_specs_hash ON run_specs(hash);
        CREATE TABLE IF NOT EXISTS epochs(
            hash TEXT NOT NULL REFERENCES runs(hash), epoch INTEGER NOT NULL, step BIGINT NOT NULL, lr DOUBLE PRECISION NOT NULL,
            train_loss DOUBLE PRECISION, train_accuracy DOUBLE PRECISION, test_loss DOUBLE PRECISION, test_accuracy DOUBLE PRECISION,
            seconds DOUBLE PRECISION NOT NULL, PRIMARY KEY (hash, epoch));
        CREATE TABLE IF NOT EXISTS steps(
            hash TEXT NOT NULL REFERENCES runs(hash), step BIGINT NOT NULL, epoch INTEGER NOT NULL, lr DOUBLE PRECISION NOT NULL,
            loss DOUBLE PRECISION, PRIMARY KEY (hash, step));
        CREATE TABLE IF NOT EXISTS examples(
            hash TEXT NOT NULL REFERENCES runs(hash), idx INTEGER NOT NULL, label_changed BOOLEAN NOT NULL,
            input_changed BOOLEAN NOT NULL, first_fit_epoch INTEGER NOT NULL, PRIMARY KEY (hash, idx));
        CREATE TABLE IF NOT EXISTS run_attempts(
            hash TEXT NOT NULL REFERENCES runs(hash), attempt INTEGER NOT NULL, worker TEXT NOT NULL,
            started_at TIMESTAMPTZ NOT NULL, finished_at TIMESTAMPTZ,
            outcome TEXT NOT NULL DEFAULT 'running' CHECK (outcome IN ('running', 'done', 'failed', 'interrupted', 'lost')),
            error TEXT, PRIMARY KEY (hash, attempt));
        """,
        // 2: the results added beside the runs, as in the SQLite store: complexity measures ('shatter measures'),
        // attacks ('shatter attack') and memorization points (runs with --memorization-epochs)
        """
        CREATE TABLE IF NOT EXISTS measures(hash TEXT NOT NULL, name TEXT NOT NULL, value DOUBLE PRECISION, PRIMARY KEY (hash, name));
        CREATE TABLE IF NOT EXISTS measure_series(hash TEXT NOT NULL, name TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (hash, name));
        CREATE TABLE IF NOT EXISTS attacks(hash TEXT NOT NULL, method TEXT NOT NULL, steps INTEGER NOT NULL, set_name TEXT NOT NULL,
            epsilon DOUBLE PRECISION NOT NULL, epsilon_text TEXT NOT NULL, accuracy DOUBLE PRECISION NOT NULL, examples INTEGER NOT NULL,
            PRIMARY KEY (hash, method, set_name, epsilon));
        CREATE TABLE IF NOT EXISTS memorization(hash TEXT NOT NULL, epoch INTEGER NOT NULL, grp TEXT NOT NULL, examples INTEGER NOT NULL,
            critical_sample_ratio DOUBLE PRECISION, loss_sensitivity DOUBLE PRECISION, seconds DOUBLE PRECISION NOT NULL, radius DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (hash, epoch, grp));
        """,
    ];

    /// <summary>The schema version this shatter writes.</summary>
    public static int SchemaVersion => Migrations.Length;

    /// <summary>The advisory lock key under which migrations run (any constant; "shatter" in ASCII).</summary>
    const long MigrationLock = 0x73686174746572;

    readonly NpgsqlConnection connection;
    readonly Lock gate = new();

    public string Path { get; }

    PostgresStore(string path, NpgsqlConnection connection)
    {
        Path = path;
        this.connection = connection;
    }

    /// <summary>Connects and migrates the schema to <see cref="SchemaVersion"/>.</summary>
    public static PostgresStore Open(DatabaseAddress address) => Connect(address, store => store.Migrate());

    /// <summary>Connects to a database a sweep wrote, for reading; an error if it holds no shatter schema.</summary>
    public static PostgresStore OpenExisting(DatabaseAddress address) => Connect(address, store =>
    {
        var version = store.Version(null);
        if (version == 0) throw new ShatterException($"the PostgreSQL database {address.Display} holds no shatter results; run 'shatter sweep SPEC --db {address.Display}' first.");
        if (version != SchemaVersion)
            throw new ShatterException($"the PostgreSQL database {address.Display} has schema version {version}, this shatter reads {SchemaVersion}; run 'shatter sweep' or 'shatter worker' with it to migrate, or use a matching shatter.");
    });

    /// <summary>Connects to a database a sweep wrote, to add results to it (the measures): an error if it holds no shatter schema; migrated.</summary>
    public static PostgresStore OpenToAdd(DatabaseAddress address) => Connect(address, store =>
    {
        if (store.Version(null) == 0) throw new ShatterException($"the PostgreSQL database {address.Display} holds no shatter results; run 'shatter sweep SPEC --db {address.Display}' first.");
        store.Migrate();
    });

    static PostgresStore Connect(DatabaseAddress address, Action<PostgresStore> prepare)
    {
        NpgsqlConnection? connection = null;
        try
        {
            connection = new NpgsqlConnection(address.ConnectionString());
            connection.Open();
            var store = new PostgresStore(address.Display, connection);
            prepare(store);
            return store;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            connection?.Dispose();
            throw new ShatterException($"cannot use the PostgreSQL database {address.Display} ({Reason(e)}); check that the server runs and the user may log in (password in PGPASSWORD or ~/.pgpass).", e);
        }
        catch
        {
            connection?.Dispose();
            throw;
        }
    }

    /// <summary>The first line of the innermost useful message (never holds the password: it is not in the connection string).</summary>
    internal static string Reason(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null && inner is not PostgresException) inner = inner.InnerException;
        return inner.Message.Split('\n')[0].TrimEnd('.', ' ');
    }

    int Version(NpgsqlTransaction? tx)
    {
        if (Scalar("SELECT to_regclass('meta') IS NOT NULL", tx) is not true) return 0;
        return Scalar("SELECT value FROM meta WHERE key = 'schema_version'", tx) is string v ? int.Parse(v, CultureInfo.InvariantCulture) : 0;
    }

    void Migrate()
    {
        lock (gate)
        {
            using var tx = Begin();
            Execute("SELECT pg_advisory_xact_lock(@k)", tx, ("k", MigrationLock));
            Execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)", tx);
            int version = Version(tx);
            if (version > SchemaVersion)
                throw new ShatterException($"the PostgreSQL database {Path} has schema version {version}, newer than this shatter's {SchemaVersion}; use the shatter that wrote it.");
            for (int v = version; v < SchemaVersion; v++) Execute(Migrations[v], tx);
            Execute("INSERT INTO meta(key, value) VALUES ('schema_version', @v) ON CONFLICT (key) DO UPDATE SET value = excluded.value", tx,
                ("v", SchemaVersion.ToString(CultureInfo.InvariantCulture)));
            tx.Commit();
        }
    }

    public void Register(string spec, string scale, IReadOnlyList<PlannedRun> runs)
    {
        lock (gate)
        {
            using var tx = Begin();
            Execute("DELETE FROM run_specs WHERE spec = @s AND scale = @k", tx, ("s", spec), ("k", scale));
            using var batch = new NpgsqlBatch(connection, tx);
            foreach (var run in runs)
            {
                batch.BatchCommands.Add(BatchCommand("INSERT INTO runs(hash, config_json) VALUES (@h, @c) ON CONFLICT (hash) DO NOTHING",
                    ("h", run.Hash), ("c", Json.Serialize(run.Config))));
                batch.BatchCommands.Add(BatchCommand("""
                    INSERT INTO run_specs(spec, scale, hash, ord, point_json) VALUES (@s, @k, @h, @o, @p)
                    ON CONFLICT (spec, scale, hash) DO UPDATE SET ord = excluded.ord, point_json = excluded.point_json
                    """, ("s", spec), ("k", scale), ("h", run.Hash), ("o", run.Order), ("p", JsonSerializer.Serialize(run.Point))));
            }
            if (batch.BatchCommands.Count > 0) batch.ExecuteNonQuery();
            tx.Commit();
        }
    }

    public void SaveReportHints(string spec, ReportHints? hints)
    {
        lock (gate)
        {
            if (hints is null) Execute("DELETE FROM meta WHERE key = @k", null, ("k", "report_hints/" + spec));
            else Execute("INSERT INTO meta(key, value) VALUES (@k, @v) ON CONFLICT (key) DO UPDATE SET value = excluded.value", null,
                ("k", "report_hints/" + spec), ("v", Json.Serialize(hints)));
        }
    }

    public ReportHints? ReportHints(string spec)
    {
        lock (gate)
            return Scalar("SELECT value FROM meta WHERE key = @k", null, ("k", "report_hints/" + spec)) is string json
                ? JsonSerializer.Deserialize<ReportHints>(json, Json.Options) : null;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// One statement: the candidate row is locked with FOR UPDATE SKIP LOCKED (rows another claim holds are passed
    /// over, not waited for) and updated in the same statement, so two workers never take the same run.
    /// </remarks>
    public ClaimedRun? Claim(ClaimRequest request)
    {
        lock (gate)
        {
            string? hash = null, old = null, spec = null, scale = null;
            using (var cmd = Command("""
                WITH c AS (
                    SELECT r.hash, r.status, s.spec, s.scale FROM runs r JOIN run_specs s ON s.hash = r.hash
                    WHERE (CAST(@s AS text) IS NULL OR s.spec = @s) AND (CAST(@k AS text) IS NULL OR s.scale = @k)
                      AND (r.status = 'queued'
                           OR (@failed AND r.status = 'failed' AND NOT (r.hash = ANY(@skip)))
                           OR (r.status = 'running' AND r.worker <> @w AND r.heartbeat < clock_timestamp() - make_interval(secs => @lease)))
                    ORDER BY s.spec, s.scale, s.ord
                    LIMIT 1
                    FOR UPDATE OF r SKIP LOCKED)
                UPDATE runs SET status = 'running', worker = @w, claimed_at = clock_timestamp(), heartbeat = clock_timestamp(),
                    started_at = clock_timestamp(), attempts = runs.attempts + 1, error = NULL, host_json = @host
                FROM c WHERE runs.hash = c.hash
                RETURNING runs.hash, c.status, c.spec, c.scale
                """, null, ("s", request.Spec), ("k", request.Scale), ("failed", request.Failed), ("skip", request.Skip.ToArray()),
                ("w", request.Worker), ("lease", request.Lease.TotalSeconds), ("host", HostInfo.Json())))
            using (var r = cmd.ExecuteReader())
                if (r.Read()) (hash, old, spec, scale) = (r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3));
            if (hash is null) (hash, spec, scale) = TakeOverDeadHere(request);
            return hash is null ? null : new ClaimedRun(Get(hash, spec!, scale!)!, Resume: old != RunStatus.Queued);
        }
    }

    /// <summary>
    /// As the SQLite store does: a run held by a worker process of this host that has ended (a killed sweep on this
    /// machine) is taken at once, without waiting for its lease. The update is conditional on the dead holder, so a
    /// worker elsewhere that took it first wins.
    /// </summary>
    (string? Hash, string? Spec, string? Scale) TakeOverDeadHere(ClaimRequest request)
    {
        var held = new List<(string Hash, string Worker, string Spec, string Scale)>();
        using (var cmd = Command($"""
            SELECT r.hash, r.worker, s.spec, s.scale FROM runs r JOIN run_specs s ON s.hash = r.hash
            WHERE r.status = 'running' AND r.worker LIKE @host AND r.worker <> @w
              AND (CAST(@s AS text) IS NULL OR s.spec = @s) AND (CAST(@k AS text) IS NULL OR s.scale = @k)
            ORDER BY s.spec, s.scale, s.ord
            """, null, ("host", Environment.MachineName + ":%"), ("w", request.Worker), ("s", request.Spec), ("k", request.Scale)))
        using (var r = cmd.ExecuteReader())
            while (r.Read()) held.Add((r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)));
        foreach (var (hash, worker, spec, scale) in held)
        {
            if (!WorkerId.IsDeadHere(worker)) continue;
            if (Execute("""
                UPDATE runs SET worker = @w, claimed_at = clock_timestamp(), heartbeat = clock_timestamp(), started_at = clock_timestamp(),
                    attempts = attempts + 1, error = NULL, host_json = @host
                WHERE hash = @h AND worker = @dead AND status = 'running'
                """, null, ("w", request.Worker), ("host", HostInfo.Json()), ("h", hash), ("dead", worker)) == 1)
                return (hash, spec, scale);
        }
        return (null, null, null);
    }

    public bool Heartbeat(string hash, string worker)
    {
        lock (gate)
            return Execute("UPDATE runs SET heartbeat = clock_timestamp() WHERE hash = @h AND worker = @w AND status = 'running'", null,
                ("h", hash), ("w", worker)) == 1;
    }

    public bool Complete(string hash, string worker, RunResult result)
    {
        lock (gate)
        {
            using var tx = Begin();
            int updated = Execute("""
                UPDATE runs SET status = 'done', finished_at = clock_timestamp(), heartbeat = clock_timestamp(), seconds = @sec, error = NULL,
                    summary_json = @sum, run_json = @run
                WHERE hash = @h AND worker = @w AND status = 'running'
                """, tx, ("sec", result.Seconds), ("sum", result.SummaryJson), ("run", result.RunJson), ("h", hash), ("w", worker));
            if (updated != 1)
            {
                tx.Rollback();
                return false;
            }
            foreach (var table in new[] { "epochs", "steps", "examples" })
                Execute($"DELETE FROM {table} WHERE hash = @h", tx, ("h", hash));
            // binary COPY: a run's steps are tens of thousands of rows at paper scale
            using (var copy = connection.BeginBinaryImport("COPY epochs (hash, epoch, step, lr, train_loss, train_accuracy, test_loss, test_accuracy, seconds) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var e in result.Epochs)
                {
                    copy.StartRow();
                    copy.Write(hash);
                    copy.Write(e.Epoch);
                    copy.Write(e.Step);
                    copy.Write(e.LearningRate);
                    WriteReal(copy, e.TrainLoss);
                    WriteReal(copy, e.TrainAccuracy);
                    WriteReal(copy, e.TestLoss);
                    WriteReal(copy, e.TestAccuracy);
                    copy.Write(e.Seconds);
                }
                copy.Complete();
            }
            using (var copy = connection.BeginBinaryImport("COPY steps (hash, step, epoch, lr, loss) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var s in result.Steps)
                {
                    copy.StartRow();
                    copy.Write(hash);
                    copy.Write(s.Step);
                    copy.Write(s.Epoch);
                    copy.Write(s.LearningRate);
                    WriteReal(copy, s.Loss);
                }
                copy.Complete();
            }
            using (var copy = connection.BeginBinaryImport("COPY examples (hash, idx, label_changed, input_changed, first_fit_epoch) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var x in result.Examples)
                {
                    copy.StartRow();
                    copy.Write(hash);
                    copy.Write(x.Index);
                    copy.Write(x.LabelChanged);
                    copy.Write(x.InputChanged);
                    copy.Write(x.FirstFitEpoch);
                }
                copy.Complete();
            }
            tx.Commit();
            return true;
        }
    }

    /// <summary>A metric: NULL when not finite (as the SQLite store keeps it), read back as NaN.</summary>
    static void WriteReal(NpgsqlBinaryImporter copy, double value)
    {
        if (double.IsFinite(value)) copy.Write(value, NpgsqlTypes.NpgsqlDbType.Double);
        else copy.WriteNull();
    }

    public void Fail(string hash, string worker, string error)
    {
        lock (gate)
            Execute("UPDATE runs SET status = 'failed', finished_at = clock_timestamp(), error = @e WHERE hash = @h AND worker = @w AND status = 'running'", null,
                ("e", error), ("h", hash), ("w", worker));
    }

    public void Release(string hash, string worker)
    {
        lock (gate)
            Execute("UPDATE runs SET status = 'queued', worker = NULL, error = NULL WHERE hash = @h AND worker = @w AND status = 'running'", null,
                ("h", hash), ("w", worker));
    }

    public int Requeue(string spec, string scale)
    {
        lock (gate)
            return Execute("""
                UPDATE runs SET status = 'queued', worker = NULL, error = NULL
                WHERE status = 'failed' AND hash IN (SELECT hash FROM run_specs WHERE spec = @s AND scale = @k)
                """, null, ("s", spec), ("k", scale));
    }

    public int BeginAttempt(string hash, string worker)
    {
        lock (gate)
        {
            using var tx = Begin();
            Execute("SELECT 1 FROM runs WHERE hash = @h FOR UPDATE", tx, ("h", hash));
            Execute("UPDATE run_attempts SET outcome = 'lost', finished_at = clock_timestamp() WHERE hash = @h AND outcome = 'running'", tx, ("h", hash));
            int number = Convert.ToInt32(Scalar("""
                SELECT GREATEST(COALESCE((SELECT MAX(attempt) FROM run_attempts WHERE hash = @h), 0) + 1, (SELECT attempts FROM runs WHERE hash = @h))
                """, tx, ("h", hash)), CultureInfo.InvariantCulture);
            Execute("INSERT INTO run_attempts(hash, attempt, worker, started_at) VALUES (@h, @a, @w, clock_timestamp())", tx,
                ("h", hash), ("a", number), ("w", worker));
            Execute("UPDATE runs SET attempts = @a WHERE hash = @h", tx, ("a", number), ("h", hash));
            tx.Commit();
            return number;
        }
    }

    public void EndAttempt(string hash, int attempt, string outcome, string? error = null)
    {
        lock (gate)
            Execute("UPDATE run_attempts SET outcome = @o, finished_at = clock_timestamp(), error = @e WHERE hash = @h AND attempt = @a", null,
                ("o", outcome), ("e", error), ("h", hash), ("a", attempt));
    }

    public IReadOnlyList<RunLease> Leases()
    {
        lock (gate)
        {
            using var cmd = Command("""
                SELECT hash, COALESCE(worker, ''), EXTRACT(EPOCH FROM clock_timestamp() - heartbeat)::double precision
                FROM runs WHERE status = 'running' ORDER BY hash
                """, null);
            using var r = cmd.ExecuteReader();
            var list = new List<RunLease>();
            while (r.Read()) list.Add(new RunLease(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? double.PositiveInfinity : r.GetDouble(2)));
            return list;
        }
    }

    /// <summary>A timestamp as the SQLite store writes it: UTC, fixed width, milliseconds.</summary>
    static string Stamp(string column) => $"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";

    static readonly string SelectRun = $"""
        SELECT r.hash, s.spec, s.scale, s.ord, s.point_json, r.config_json, r.status, r.worker, {Stamp("r.started_at")}, {Stamp("r.finished_at")},
               r.attempts, r.error, r.summary_json, r.run_json, r.host_json
        FROM runs r JOIN run_specs s ON s.hash = r.hash
        """;

    public IReadOnlyList<RunRecord> Runs(string? spec = null, string? scale = null)
    {
        return Query(StoreRows.Runs, $"""
            {SelectRun} WHERE (CAST(@s AS text) IS NULL OR s.spec = @s) AND (CAST(@k AS text) IS NULL OR s.scale = @k) ORDER BY s.spec, s.scale, s.ord
            """, ("s", spec), ("k", scale));
    }

    public RunRecord? Get(string hash, string spec, string scale)
    {
        return Query(StoreRows.Runs, $"{SelectRun} WHERE r.hash = @h AND s.spec = @s AND s.scale = @k", ("h", hash), ("s", spec), ("k", scale)).SingleOrDefault();
    }

    public IReadOnlyList<(string Spec, string Scale)> Sections()
    {
        return Query(StoreRows.Sections, "SELECT DISTINCT spec, scale FROM run_specs ORDER BY spec, scale");
    }

    public IReadOnlyList<EpochMetrics> Epochs(string hash)
    {
        return Query(StoreRows.Epochs, "SELECT epoch, step, lr, train_loss, train_accuracy, test_loss, test_accuracy, seconds FROM epochs WHERE hash = @h ORDER BY epoch", ("h", hash));
    }

    public IReadOnlyList<StepRow> Steps(string hash)
    {
        return Query(StoreRows.Steps, "SELECT step, epoch, lr, loss FROM steps WHERE hash = @h ORDER BY step", ("h", hash));
    }

    public IReadOnlyList<ExampleRow> Examples(string hash)
    {
        return Query(StoreRows.Examples, "SELECT idx, label_changed, input_changed, first_fit_epoch FROM examples WHERE hash = @h ORDER BY idx", ("h", hash));
    }

    public IReadOnlyList<RunAttempt> Attempts(string? hash = null)
    {
        lock (gate)
        {
            using var cmd = Command($"""
                SELECT hash, attempt, worker, {Stamp("started_at")}, {Stamp("finished_at")}, outcome, error FROM run_attempts
                WHERE CAST(@h AS text) IS NULL OR hash = @h ORDER BY hash, attempt
                """, null, ("h", hash));
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
            using var tx = Begin();
            Execute("DELETE FROM measures WHERE hash = @h", tx, ("h", hash));
            Execute("DELETE FROM measure_series WHERE hash = @h", tx, ("h", hash));
            using var batch = new NpgsqlBatch(connection, tx);
            foreach (var (name, value) in file.Values)
                batch.BatchCommands.Add(BatchCommand("INSERT INTO measures(hash, name, value) VALUES (@h, @n, @v)", ("h", hash), ("n", name), ("v", value)));
            foreach (var (name, series) in file.Series)
                batch.BatchCommands.Add(BatchCommand("INSERT INTO measure_series(hash, name, json) VALUES (@h, @n, @j)", ("h", hash), ("n", name), ("j", JsonSerializer.Serialize(series))));
            if (batch.BatchCommands.Count > 0) batch.ExecuteNonQuery();
            tx.Commit();
        }
    }

    public IReadOnlyDictionary<string, MeasureFile> Measures()
    {
        lock (gate)
        {
            var result = new Dictionary<string, MeasureFile>();
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
            using var tx = Begin();
            var method = report.Method.ToString().ToLowerInvariant();
            Execute("DELETE FROM attacks WHERE hash = @h AND method = @m", tx, ("h", hash), ("m", method));
            foreach (var p in report.Points)   // one at a time: a later point of the same set and ε replaces an earlier one, as in SQLite
                Execute("""
                    INSERT INTO attacks VALUES (@h, @m, @s, @set, @e, @t, @a, @n) ON CONFLICT (hash, method, set_name, epsilon) DO UPDATE SET
                    steps = excluded.steps, epsilon_text = excluded.epsilon_text, accuracy = excluded.accuracy, examples = excluded.examples
                    """, tx, ("h", hash), ("m", method), ("s", report.Steps), ("set", p.Set), ("e", p.Epsilon), ("t", p.EpsilonText), ("a", p.Accuracy), ("n", p.Examples));
            tx.Commit();
        }
    }

    public void SaveMemorization(string hash, MemorizationFile file)
    {
        lock (gate)
        {
            using var tx = Begin();
            Execute("DELETE FROM memorization WHERE hash = @h", tx, ("h", hash));
            foreach (var p in file.Points)
                Execute("""
                    INSERT INTO memorization VALUES (@h, @e, @g, @n, @c, @l, @s, @r) ON CONFLICT (hash, epoch, grp) DO UPDATE SET
                    examples = excluded.examples, critical_sample_ratio = excluded.critical_sample_ratio, loss_sensitivity = excluded.loss_sensitivity,
                    seconds = excluded.seconds, radius = excluded.radius
                    """, tx, ("h", hash), ("e", p.Epoch), ("g", p.Group), ("n", p.Examples), ("c", p.CriticalSampleRatio), ("l", p.LossSensitivity), ("s", p.Seconds), ("r", file.Radius));
            tx.Commit();
        }
    }

    public IReadOnlyList<StoredAttack> Attacks()
    {
        lock (gate)
        {
            var list = new List<StoredAttack>();
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
            using var cmd = Command("SELECT hash, epoch, grp, examples, critical_sample_ratio, loss_sensitivity, seconds FROM memorization ORDER BY hash, epoch, grp", null);
            using var r = cmd.ExecuteReader();
            while (r.Read())
                list.Add((r.GetString(0), new MemorizationPoint(r.GetInt32(1), r.GetString(2), r.GetInt32(3), StoreRows.Real(r, 4), StoreRows.Real(r, 5), r.GetDouble(6))));
            return list;
        }
    }

    public void Dispose() => connection.Dispose();

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


    /// <summary>What a parameter stores: NULL for null and for NaN or ±∞ (as the SQLite store).</summary>
    static object Stored(object? value) => value switch
    {
        null => DBNull.Value,
        double d when !double.IsFinite(d) => DBNull.Value,
        _ => value,
    };

    /// <summary>
    /// Reopens the connection when it broke (the server restarted, a network blip): a worker that trains for hours
    /// keeps its queue. Only between transactions: a transaction that broke fails, and the sweep's retry handles it.
    /// </summary>
    void EnsureOpen()
    {
        if (connection.FullState.HasFlag(System.Data.ConnectionState.Broken) || connection.State == System.Data.ConnectionState.Closed)
        {
            connection.Close();
            connection.Open();
        }
    }

    NpgsqlTransaction Begin()
    {
        EnsureOpen();
        return connection.BeginTransaction();
    }

    NpgsqlCommand Command(string sql, NpgsqlTransaction? tx, params (string Name, object? Value)[] parameters)
    {
        if (tx is null) EnsureOpen();
        var cmd = new NpgsqlCommand(sql, connection, tx);
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, Stored(value));
        return cmd;
    }

    static NpgsqlBatchCommand BatchCommand(string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, Stored(value));
        return cmd;
    }

    int Execute(string sql, NpgsqlTransaction? tx = null, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(sql, tx, parameters);
        return cmd.ExecuteNonQuery();
    }

    object? Scalar(string sql, NpgsqlTransaction? tx, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(sql, tx, parameters);
        var value = cmd.ExecuteScalar();
        return value is DBNull ? null : value;
    }
}
