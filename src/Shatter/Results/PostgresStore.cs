using System.Data.Common;
using System.Globalization;
using Npgsql;

namespace Shatter.Results;

/// <summary>
/// The results store on a PostgreSQL server, for sweeps served by workers on many machines (docs/scale-out.md);
/// everything but its dialect is <see cref="RelationalStore"/>'s. A claim is one statement
/// (<c>UPDATE … FROM (SELECT … FOR UPDATE SKIP LOCKED LIMIT 1)</c>), so any number of workers claim at once without
/// blocking each other or taking the same run; times are the server's clock. The schema is versioned in
/// <c>meta.schema_version</c> and migrated explicitly: <see cref="Migrations"/>[i] brings version i to i + 1, each in one
/// transaction under an advisory lock, so workers starting together migrate once. A newer schema is refused.
/// </summary>
public sealed class PostgresStore : RelationalStore
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
        // 2: the results added beside the runs: complexity measures, attacks and memorization points
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
        // 3: the holder's lease, stored with its claim: only a run silent for longer than its own holder's lease is taken over
        "ALTER TABLE runs ADD COLUMN IF NOT EXISTS lease_seconds DOUBLE PRECISION;",
        // 4: Rademacher and shattering results, in the database like the measures
        "CREATE TABLE IF NOT EXISTS capacity(kind TEXT NOT NULL, setting TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (kind, setting));",
    ];

    /// <summary>The schema version this shatter writes.</summary>
    public static int SchemaVersion => Migrations.Length;

    /// <summary>The advisory lock key under which migrations run (any constant; "shatter" in ASCII).</summary>
    const long MigrationLock = 0x73686174746572;

    PostgresStore(string path, NpgsqlConnection connection, bool readOnly) : base(path, connection, readOnly) { }

    /// <summary>Connects and migrates the schema to <see cref="SchemaVersion"/>.</summary>
    public static PostgresStore Open(DatabaseAddress address) => Connect(address, readOnly: false, store => store.Migrate());

    /// <summary>
    /// Connects to a database a sweep wrote, for reading only: an error if it holds no shatter schema or a newer one; an
    /// older one is read as it is (tables it lacks read as empty).
    /// </summary>
    public static PostgresStore OpenExisting(DatabaseAddress address) => Connect(address, readOnly: true, store =>
    {
        store.Version = store.ReadVersion(null);
        if (store.Version == 0) throw new ShatterException($"the PostgreSQL database {address.Display} holds no shatter results; run 'shatter sweep SPEC --db {address.Display}' first.");
        if (store.Version > SchemaVersion)
            throw new ShatterException($"the PostgreSQL database {address.Display} has schema version {store.Version}, newer than this shatter's {SchemaVersion}; use the shatter that wrote it.");
    });

    /// <summary>Connects to a database a sweep wrote, to add results to it (the measures): an error if it holds no shatter schema; migrated.</summary>
    public static PostgresStore OpenToAdd(DatabaseAddress address) => Connect(address, readOnly: false, store =>
    {
        if (store.ReadVersion(null) == 0) throw new ShatterException($"the PostgreSQL database {address.Display} holds no shatter results; run 'shatter sweep SPEC --db {address.Display}' first.");
        store.Migrate();
    });

    static PostgresStore Connect(DatabaseAddress address, bool readOnly, Action<PostgresStore> prepare)
    {
        NpgsqlConnection? connection = null;
        try
        {
            connection = new NpgsqlConnection(address.ConnectionString());
            connection.Open();
            var store = new PostgresStore(address.Display, connection, readOnly);
            prepare(store);
            return store;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            connection?.Dispose();
            throw new ShatterException(Unreachable(address.Display, e), e);
        }
        catch
        {
            connection?.Dispose();
            throw;
        }
    }

    static string Unreachable(string display, Exception e) =>
        $"cannot use the PostgreSQL database {display} ({Reason(e)}); check that the server runs and the user may log in (password in PGPASSWORD or ~/.pgpass).";

    /// <summary>The first line of the innermost useful message (never holds the password: it is not in the connection string).</summary>
    internal static string Reason(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null && inner is not PostgresException) inner = inner.InnerException;
        return inner.Message.Split('\n')[0].TrimEnd('.', ' ');
    }

    int ReadVersion(DbTransaction? tx)
    {
        if (Scalar("SELECT to_regclass('meta') IS NOT NULL", tx) is not true) return 0;
        return Scalar("SELECT value FROM meta WHERE key = 'schema_version'", tx) is string v ? int.Parse(v, CultureInfo.InvariantCulture) : 0;
    }

    void Migrate() => Write(tx =>
    {
        Execute("SELECT pg_advisory_xact_lock(@k)", tx, ("@k", MigrationLock));
        Execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)", tx);
        int version = ReadVersion(tx);
        if (version > SchemaVersion)
            throw new ShatterException($"the PostgreSQL database {Path} has schema version {version}, newer than this shatter's {SchemaVersion}; use the shatter that wrote it.");
        for (int v = version; v < SchemaVersion; v++) Execute(Migrations[v], tx);
        Execute("INSERT INTO meta(key, value) VALUES ('schema_version', @v) ON CONFLICT (key) DO UPDATE SET value = excluded.value", tx,
            ("@v", SchemaVersion.ToString(CultureInfo.InvariantCulture)));
        Version = SchemaVersion;
        TablesChanged();
    });

    protected override string Backend => "PostgreSQL";

    protected override string Now => "clock_timestamp()";

    protected override string SecondsSince(string column) => $"EXTRACT(EPOCH FROM clock_timestamp() - {column})::double precision";

    protected override string TimeText(string column) => $"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";

    protected override string TablesSql =>
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name COLLATE \"C\"";

    protected override string ColumnsSql =>
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @t ORDER BY ordinal_position";

    /// <summary>The kind of a column from information_schema's data_type; booleans are exported as 0/1 integers, as SQLite stores them.</summary>
    internal override ColumnKind KindOf(string declaredType) => declaredType switch
    {
        "integer" or "bigint" or "smallint" or "boolean" => ColumnKind.Integer,
        "double precision" or "real" or "numeric" => ColumnKind.Real,
        _ => ColumnKind.Text,
    };

    protected override DbTransaction BeginSnapshotCore()
    {
        var snapshot = ((NpgsqlConnection)Connection).BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
        using (var readOnly = Command("SET TRANSACTION READ ONLY", snapshot)) readOnly.ExecuteNonQuery();
        return snapshot;
    }

    /// <remarks>
    /// One statement: the candidate row is locked with FOR UPDATE SKIP LOCKED (rows another claim holds are passed over,
    /// not waited for) and updated in the same statement, so two workers never take the same run. Then, as on SQLite, a
    /// run held by a worker process of this host that has ended is taken at once (conditional on the dead holder, so a
    /// worker elsewhere that took it first wins).
    /// </remarks>
    protected override (string Hash, string Spec, string Scale, string OldStatus)? ClaimOne(ClaimRequest request)
    {
        var claimed = Query(StoreRows.Claimed, $"""
            WITH c AS (
                SELECT r.hash, r.status, s.spec, s.scale FROM runs r JOIN run_specs s ON s.hash = r.hash
                WHERE (CAST(@s AS text) IS NULL OR s.spec = @s) AND (CAST(@k AS text) IS NULL OR s.scale = @k)
                  AND ((r.status = 'queued' AND NOT (r.hash = ANY(@skip)))
                       OR (@failed AND r.status = 'failed' AND NOT (r.hash = ANY(@skip)))
                       OR (r.status = 'running' AND r.worker <> @w AND {SecondsSince("r.heartbeat")} > COALESCE(r.lease_seconds, @lease)))
                ORDER BY s.spec, s.scale, s.ord
                LIMIT 1
                FOR UPDATE OF r SKIP LOCKED)
            UPDATE runs SET {ClaimSet} FROM c WHERE runs.hash = c.hash
            RETURNING runs.hash, c.spec, c.scale, c.status
            """, ("@s", request.Spec), ("@k", request.Scale), ("@failed", request.Failed), ("@skip", request.Skip.ToArray()),
            ("@w", request.Worker), ("@lease", request.Lease.TotalSeconds), ("@host", HostInfo.Json()));
        return claimed.Count > 0 ? claimed[0] : TakeOverDeadHere(request);
    }

    (string Hash, string Spec, string Scale, string OldStatus)? TakeOverDeadHere(ClaimRequest request)
    {
        var held = Query(StoreRows.Claimed, """
            SELECT r.hash, s.spec, s.scale, r.worker FROM runs r JOIN run_specs s ON s.hash = r.hash
            WHERE r.status = 'running' AND r.worker LIKE @host AND r.worker <> @w
              AND (CAST(@s AS text) IS NULL OR s.spec = @s) AND (CAST(@k AS text) IS NULL OR s.scale = @k)
            ORDER BY s.spec, s.scale, s.ord
            """, ("@host", Environment.MachineName + ":%"), ("@w", request.Worker), ("@s", request.Spec), ("@k", request.Scale));
        foreach (var (hash, spec, scale, worker) in held)
        {
            if (!WorkerId.IsDeadHere(worker)) continue;
            if (Execute($"UPDATE runs SET {ClaimSet} WHERE hash = @h AND worker = @dead AND status = 'running'", null,
                ("@w", request.Worker), ("@host", HostInfo.Json()), ("@lease", request.Lease.TotalSeconds), ("@h", hash), ("@dead", worker)) == 1)
                return (hash, spec, scale, RunStatus.Running);
        }
        return null;
    }

    /// <summary>Binary COPY: a run's steps are tens of thousands of rows at paper scale.</summary>
    protected override void InsertMetrics(DbTransaction tx, string hash, RunResult result)
    {
        var connection = (NpgsqlConnection)Connection;
        using (var copy = connection.BeginBinaryImport("COPY epochs (hash, epoch, step, lr, train_loss, train_accuracy, test_loss, test_accuracy, seconds) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var e in result.Epochs)
            {
                copy.StartRow();
                copy.Write(hash);
                copy.Write(e.Epoch);
                copy.Write(e.Step);
                foreach (var v in new[] { e.LearningRate, e.TrainLoss, e.TrainAccuracy, e.TestLoss, e.TestAccuracy, e.Seconds }) WriteReal(copy, v);
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
                WriteReal(copy, s.LearningRate);
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
    }

    /// <summary>A real under the stores' one rule (<see cref="RelationalStore.Stored"/>): NULL when not finite.</summary>
    static void WriteReal(NpgsqlBinaryImporter copy, double value)
    {
        if (double.IsFinite(value)) copy.Write(value, NpgsqlTypes.NpgsqlDbType.Double);
        else copy.WriteNull();
    }

    /// <summary>
    /// Reopens the connection when it broke (the server restarted, a network blip): a worker that trains for hours keeps
    /// its queue. Only between transactions: a transaction that broke fails, and its caller retries.
    /// </summary>
    protected override void Ready()
    {
        var connection = (NpgsqlConnection)Connection;
        if (connection.FullState.HasFlag(System.Data.ConnectionState.Broken) || connection.State == System.Data.ConnectionState.Closed)
        {
            connection.Close();
            try
            {
                connection.Open();
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
            {
                throw new ShatterException(Unreachable(Path, e), e);
            }
        }
    }

    /// <summary>The server gone or out of resources: one sentence naming the database; anything else (a bug in a statement) is not explained.</summary>
    protected override string? Explain(DbException e) => e switch
    {
        PostgresException p when p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState.StartsWith("53", StringComparison.Ordinal)
            || p.SqlState.StartsWith("57P", StringComparison.Ordinal) => Unreachable(Path, e),
        PostgresException => null,
        NpgsqlException => Unreachable(Path, e),
        _ => null,
    };
}
