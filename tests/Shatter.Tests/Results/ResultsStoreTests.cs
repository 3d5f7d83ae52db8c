using Shatter.Experiments;
using Shatter.Results;
using Shatter.Training;

namespace Shatter.Tests.Results;

public sealed class ResultsStoreTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "shatter-store-" + Guid.NewGuid().ToString("N"));
    string Db => Path.Combine(dir, "shatter.db");

    public void Dispose()
    {
        Scratch.Delete(dir);
    }

    static IReadOnlyList<PlannedRun> Plan(int n) =>
        [.. Enumerable.Range(0, n).Select(i => new TrainConfig { Seed = i + 1 }).Select((c, i) => new PlannedRun(Shatter.Experiments.RunIdentity.Hash(c), c, new Dictionary<string, string> { ["seed"] = $"{i + 1}" }, i))];

    static RunResult Result(int epochs) => new("""{"epochs": 3}""", null,
        [.. Enumerable.Range(0, epochs).Select(e => new EpochMetrics(e, e * 10, 0.01, 1, 0.5, 1, 0.5, e))],
        [new StepRow(1, 1, 0.01, 2.0)], [new ExampleRow(0, true, false, 2)], 1.5);

    [Fact]
    public async Task Two_connections_claiming_at_once_never_take_the_same_run()
    {
        using (var setup = SqliteStore.Open(Db)) setup.Register("s", "q", Plan(40));
        var claimed = new System.Collections.Concurrent.ConcurrentBag<string>();
        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            using var store = SqliteStore.Open(Db);
            while (store.Claim("s", "q", $"worker-{w}", new HashSet<string>(), TimeSpan.FromHours(1)) is { } c) claimed.Add(c.Run.Hash);
        })).ToArray();
        await Task.WhenAll(workers);
        Assert.Equal(40, claimed.Count);
        Assert.Equal(40, claimed.Distinct().Count());
    }

    [Fact]
    public void A_store_written_before_the_measures_tables_reads_no_measures_and_gets_them_when_opened_for_writing()
    {
        using (var store = SqliteStore.Open(Db)) store.Register("s", "q", Plan(1));
        using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Db};Pooling=False"))
        {
            c.Open();
            using var drop = c.CreateCommand();
            drop.CommandText = "DROP TABLE measures; DROP TABLE measure_series; DROP TABLE attacks; DROP TABLE memorization;";   // as a store 'shatter measures' never touched, before they joined the schema
            drop.ExecuteNonQuery();
        }
        using (var old = SqliteStore.OpenExisting(Db))   // read-only: nothing to create, nothing to read
        {
            Assert.Empty(old.Measures());
            Assert.Empty(old.Attacks());
            Assert.Empty(old.Memorization());
        }
        var file = new MeasureFile();
        file.Values["path_norm"] = 7;
        using (var store = Stores.OpenToAdd(DatabaseAddress.Parse(Db))) store.SaveMeasures(Plan(1)[0].Hash, file);
        using (var again = SqliteStore.OpenExisting(Db)) Assert.Equal(7.0, again.Measures()[Plan(1)[0].Hash].Value("path_norm"));

        var missing = Path.Combine(dir, "none.db");
        var e = Assert.Throws<ShatterException>(() => Stores.OpenToAdd(DatabaseAddress.Parse(missing)));
        Assert.Equal($"no results database at {missing}; run 'shatter sweep' first or give --db the file it wrote.", e.Message);
        Assert.False(File.Exists(missing));   // nothing created
    }

    [Fact]
    public void Completing_stores_the_metrics_with_the_done_status_and_a_lost_claim_stores_nothing()
    {
        using var store = SqliteStore.Open(Db);
        store.Register("s", "q", Plan(2));
        var a = store.Claim("s", "q", "me", new HashSet<string>(), TimeSpan.FromHours(1))!;
        Assert.False(a.Resume);
        Assert.True(store.Complete(a.Run.Hash, "me", Result(4)));
        var done = store.Get(a.Run.Hash, "s", "q")!;
        Assert.Equal(RunStatus.Done, done.Status);
        Assert.Equal(4, store.Epochs(a.Run.Hash).Count);
        Assert.Single(store.Steps(a.Run.Hash));
        Assert.True(store.Examples(a.Run.Hash)[0].LabelChanged);

        var b = store.Claim("s", "q", "me", new HashSet<string>(), TimeSpan.FromHours(1))!;
        Assert.False(store.Complete(b.Run.Hash, "someone-else", Result(4)));
        Assert.Equal(RunStatus.Running, store.Get(b.Run.Hash, "s", "q")!.Status);
        Assert.Empty(store.Epochs(b.Run.Hash));
        Assert.Equal("ok", store.IntegrityCheck());
    }

    [Fact]
    public void A_failed_run_or_one_held_by_a_dead_worker_is_claimed_again_as_a_resume_but_a_live_one_is_not()
    {
        using var store = SqliteStore.Open(Db);
        store.Register("s", "q", Plan(2));
        var a = store.Claim("s", "q", "me", new HashSet<string>(), TimeSpan.FromHours(1))!;
        store.Fail(a.Run.Hash, "me", "boom");
        Assert.Equal("boom", store.Get(a.Run.Hash, "s", "q")!.Error);
        // the same sweep does not retry what it saw fail
        var b = store.Claim("s", "q", "me", new HashSet<string> { a.Run.Hash }, TimeSpan.FromHours(1))!;
        Assert.NotEqual(a.Run.Hash, b.Run.Hash);
        var again = store.Claim("s", "q", "next", new HashSet<string>(), TimeSpan.FromHours(1))!;
        Assert.Equal(a.Run.Hash, again.Run.Hash);
        Assert.True(again.Resume);
        Assert.Equal(2, again.Run.Attempts);

        // b is held by this (live) process: nobody else may take it
        using var other = SqliteStore.Open(Db);
        var live = $"{Environment.MachineName}:{Environment.ProcessId}:0";
        Assert.Null(other.Claim("s", "q", "third", new HashSet<string>(), TimeSpan.FromHours(1)));
        // a worker id of this host whose process is gone counts as dead at once
        Assert.True(WorkerId.IsDeadHere($"{Environment.MachineName}:{int.MaxValue - 1}:0"));
        Assert.True(WorkerId.IsDeadHere(live)); // wrong start time: a reused pid, not this process
        Assert.False(WorkerId.IsDeadHere(WorkerId.Current));
    }

    [Fact]
    public void A_store_from_before_schema_3_takes_in_the_capacity_files_beside_it_when_opened_for_writing()
    {
        using (var store = SqliteStore.Open(Db)) store.Register("s", "q", Plan(1));
        using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Db};Pooling=False"))
        {
            c.Open();   // back to schema 2, with its Rademacher and shattering results in files beside it
            using var down = c.CreateCommand();
            down.CommandText = "DROP TABLE capacity; UPDATE meta SET value = '2' WHERE key = 'schema_version'";
            down.ExecuteNonQuery();
        }
        File.WriteAllText(Path.Combine(dir, "capacity-rademacher.json"), Shatter.Json.Serialize(new[] { StoreContractTests.Rademacher(0.5) }));
        File.WriteAllText(Path.Combine(dir, "capacity-vc.json"), Shatter.Json.Serialize(new[] { StoreContractTests.Shattering(16) }));
        using (var old = SqliteStore.OpenExisting(Db))   // read-only: no migration, no capacity table, so none
        {
            Assert.Equal(2, old.Version);
            Assert.False(old.Capacity().Any);
        }
        using (SqliteStore.Open(Db)) { }
        using var again = SqliteStore.OpenExisting(Db);
        Assert.Equal(SqliteStore.SchemaVersion, again.Version);
        Assert.Equal(0.5, again.Capacity().Rademacher.Single().Budgets[0].Mean);
        Assert.Equal(16, again.Capacity().Shattering.Single().Fitted);
    }

    [Fact]
    public void A_run_shared_by_two_specs_is_stored_once()
    {
        using var store = SqliteStore.Open(Db);
        var plan = Plan(1);
        store.Register("figure1", "q", plan);
        store.Register("table1", "q", plan);
        Assert.Equal(2, store.Runs().Count);
        Assert.Equal(2, store.Sections().Count);
        var c = store.Claim("figure1", "q", "me", new HashSet<string>(), TimeSpan.FromHours(1))!;
        store.Complete(c.Run.Hash, "me", Result(2));
        Assert.True(store.Runs("table1", "q").Single().Done);
    }

    [Fact]
    public void Registering_an_edited_spec_drops_the_runs_it_no_longer_lists_but_keeps_their_results()
    {
        using var store = SqliteStore.Open(Db);
        var plan = Plan(3);
        store.Register("s", "q", plan);
        var c = store.Claim("s", "q", "me", new HashSet<string>(), TimeSpan.FromHours(1))!;
        store.Complete(c.Run.Hash, "me", Result(2));
        store.Register("s", "q", [.. plan.Skip(1)]);
        Assert.Equal(plan.Skip(1).Select(p => p.Hash), store.Runs("s", "q").Select(r => r.Hash));
        store.Register("s", "q", plan);
        Assert.True(store.Get(c.Run.Hash, "s", "q")!.Done);
        Assert.Equal(2, store.Epochs(c.Run.Hash).Count);
    }
    [Fact]
    public void A_diverged_runs_non_finite_metrics_are_stored_as_null_and_read_back_as_nan()
    {
        using var store = SqliteStore.Open(Db);
        store.Register("s", "q", Plan(1));
        var a = store.Claim("s", "q", "me", new HashSet<string>(), TimeSpan.FromHours(1))!;
        var result = new RunResult("""{"stop_reason": "diverged", "final_train_loss": null}""", null,
            [new EpochMetrics(0, 0, 50, 2.3, 0.1, 2.3, 0.1, 0), new EpochMetrics(1, 8, 50, double.NaN, 0.1, double.PositiveInfinity, 0.1, 1)],
            [new StepRow(1, 1, 50, 2.3), new StepRow(2, 1, 50, double.NaN)], [], 1);
        Assert.True(store.Complete(a.Run.Hash, "me", result));
        var epochs = store.Epochs(a.Run.Hash);
        Assert.True(double.IsNaN(epochs[1].TrainLoss));
        Assert.True(double.IsNaN(epochs[1].TestLoss)); // ∞ too: stored as NULL, as in the JSON
        Assert.Equal(2.3, epochs[0].TrainLoss);
        Assert.True(double.IsNaN(store.Steps(a.Run.Hash)[1].Loss));
        Assert.Equal("diverged", store.Get(a.Run.Hash, "s", "q")!.Summary!.StopReason);
    }

    [Fact]
    public void A_store_whose_losses_were_declared_not_null_is_rebuilt_keeping_its_rows()
    {
        Directory.CreateDirectory(dir);
        using (var old = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Db};Pooling=False"))
        {
            old.Open();
            using var cmd = old.CreateCommand();
            cmd.CommandText = """
                CREATE TABLE runs(hash TEXT PRIMARY KEY, config_json TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
                    worker TEXT, claimed_at TEXT, heartbeat TEXT, started_at TEXT, finished_at TEXT, seconds REAL, attempts INTEGER NOT NULL DEFAULT 0, error TEXT,
                    summary_json TEXT, run_json TEXT, host_json TEXT, created_at TEXT NOT NULL);
                CREATE TABLE epochs(hash TEXT NOT NULL REFERENCES runs(hash), epoch INTEGER NOT NULL, step INTEGER NOT NULL, lr REAL NOT NULL,
                    train_loss REAL NOT NULL, train_accuracy REAL NOT NULL, test_loss REAL NOT NULL, test_accuracy REAL NOT NULL,
                    seconds REAL NOT NULL, PRIMARY KEY (hash, epoch)) WITHOUT ROWID;
                CREATE TABLE steps(hash TEXT NOT NULL REFERENCES runs(hash), step INTEGER NOT NULL, epoch INTEGER NOT NULL, lr REAL NOT NULL,
                    loss REAL NOT NULL, PRIMARY KEY (hash, step)) WITHOUT ROWID;
                INSERT INTO runs(hash, config_json, created_at) VALUES ('h', '{}', 'now');
                INSERT INTO epochs VALUES ('h', 1, 10, 0.01, 0.5, 0.9, 0.6, 0.8, 3);
                INSERT INTO steps VALUES ('h', 10, 1, 0.01, 0.4);
                """;
            cmd.ExecuteNonQuery();
        }
        using var store = SqliteStore.Open(Db);
        Assert.Equal(0.5, store.Epochs("h").Single().TrainLoss);
        Assert.Equal(0.4, store.Steps("h").Single().Loss);
        store.Register("s", "q", Plan(1));
        var a = store.Claim("s", "q", "me", new HashSet<string>(), TimeSpan.FromHours(1))!;
        Assert.True(store.Complete(a.Run.Hash, "me", new RunResult("{}", null, [new EpochMetrics(1, 1, 1, double.NaN, 0, double.NaN, 0, 0)], [new StepRow(1, 1, 1, double.NaN)], [], 0)));
        Assert.Equal("ok", store.IntegrityCheck());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Reading_a_store_takes_no_lock_and_creates_no_file_even_for_root()
    {
        using (var setup = SqliteStore.Open(Db))
        {
            setup.Register("s", "q", Plan(2));
            var a = setup.Claim("s", "q", "me", new HashSet<string>(), TimeSpan.FromHours(1))!;
            Assert.True(setup.Complete(a.Run.Hash, "me", Result(3)));
        }
        var before = Directory.GetFiles(dir).Order().ToArray();
        Assert.Equal([Db], before); // a cleanly closed WAL store is one file
        var bytes = File.ReadAllBytes(Db);

        // Read-only permissions do not stop root (CI runs as root), so the test asserts what read-only opening means
        // directly: no -wal, -shm or -journal file appears, and a writer can take the exclusive lock meanwhile.
        File.SetUnixFileMode(Db, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        using (var reader = SqliteStore.OpenExisting(Db))
        {
            Assert.Equal(2, reader.Runs("s", "q").Count);
            Assert.Equal(3, reader.Epochs(reader.Runs("s", "q").First(r => r.Status == RunStatus.Done).Hash).Count);
            Assert.Equal(before, Directory.GetFiles(dir).Order().ToArray());
            File.SetUnixFileMode(Db, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            using var writer = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Db};Pooling=False;Default Timeout=1");
            writer.Open();
            // one statement a command: in a batch after a PRAGMA, Microsoft.Data.Sqlite drops the later statements' errors
            foreach (var statement in new[] { "BEGIN EXCLUSIVE", "COMMIT" })
            {
                using var exclusive = writer.CreateCommand();
                exclusive.CommandText = statement;
                exclusive.ExecuteNonQuery(); // throws "database is locked" (after the 1 s timeout) if the reader held a lock that keeps a writer out
            }
            Assert.Equal(2, reader.Runs("s", "q").Count);
        }
        Assert.Equal(bytes, File.ReadAllBytes(Db)); // and the file is not modified
    }
}
