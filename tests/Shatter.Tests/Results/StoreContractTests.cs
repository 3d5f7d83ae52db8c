using System.Collections.Concurrent;
using Shatter.Adversarial;
using Shatter.Experiments;
using Shatter.Measures;
using Shatter.Results;
using Shatter.Training;

namespace Shatter.Tests.Results;

/// <summary>
/// What every results store backend promises (the run queue and the results side), run against each: SQLite
/// (<see cref="SqliteStoreContractTests"/>) and a real PostgreSQL server (<see cref="PostgresStoreContractTests"/>).
/// </summary>
public abstract class StoreContractTests
{
    /// <summary>A new connection to this test's database (empty at first).</summary>
    protected abstract IResultsStore Open();

    /// <summary>This test's database as --db names it (a SQLite file or a PostgreSQL URL).</summary>
    protected abstract DatabaseAddress Address { get; }

    /// <summary>
    /// Sets the run's last heartbeat to <paramref name="seconds"/> before now by the database's clock, as if its holder
    /// had been silent that long: leases are tested with explicit silences, not by sleeping against a short lease.
    /// </summary>
    protected abstract void Silence(string hash, double seconds);

    static readonly IReadOnlySet<string> None = new HashSet<string>();

    internal static IReadOnlyList<PlannedRun> Plan(int n, int firstSeed = 1) =>
        [.. Enumerable.Range(0, n).Select(i => new TrainConfig { Seed = firstSeed + i })
            .Select((c, i) => new PlannedRun(RunIdentity.Hash(c), c, new Dictionary<string, string> { ["seed"] = $"{c.Seed}" }, i))];

    static RunResult Result(int epochs) => new("""{"epochs": 3}""", """{"name": "run"}""",
        [.. Enumerable.Range(0, epochs).Select(e => new EpochMetrics(e, e * 10, 0.01, 1.0 / (e + 1), 0.5, 1, 0.25, e))],
        [new StepRow(1, 1, 0.01, 2.0), new StepRow(2, 1, 0.01, 1.5)], [new ExampleRow(0, true, false, 2), new ExampleRow(1, false, true, -1)], 1.5);

    static ClaimRequest Request(string worker, double leaseSeconds = 3600, string? spec = "s", bool failed = true) =>
        new(spec, spec is null ? null : "q", worker, None, TimeSpan.FromSeconds(leaseSeconds), failed);

    [Fact]
    public async Task Four_workers_claiming_at_once_take_every_run_exactly_once()
    {
        using (var setup = Open()) setup.Register("s", "q", Plan(40));
        var claimed = new ConcurrentBag<string>();
        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            using var store = Open();
            while (store.Claim(Request($"worker-{w}")) is { } c) claimed.Add(c.Run.Hash);
        })).ToArray();
        await Task.WhenAll(workers);
        Assert.Equal(40, claimed.Count);
        Assert.Equal(40, claimed.Distinct().Count());
    }

    [Fact]
    public void Claims_follow_grid_order_and_a_spec_filter()
    {
        using var store = Open();
        store.Register("b", "q", Plan(2, firstSeed: 10));
        store.Register("s", "q", Plan(3));
        Assert.Equal(Plan(3)[0].Hash, store.Claim(Request("me"))!.Run.Hash);
        Assert.Equal(Plan(3)[1].Hash, store.Claim(Request("me"))!.Run.Hash);
        var any = store.Claim(Request("me", spec: null))!;   // no filter: spec order, so b's first run
        Assert.Equal(("b", Plan(2, 10)[0].Hash), (any.Run.Spec, any.Run.Hash));
        Assert.Equal(["b", "s"], store.Sections().Select(s => s.Spec));
    }

    [Fact]
    public void Registering_again_is_idempotent_and_keeps_finished_results()
    {
        using var store = Open();
        store.Register("s", "q", Plan(3));
        var c = store.Claim(Request("me"))!;
        Assert.True(store.Complete(c.Run.Hash, "me", Result(2)));
        store.Register("s", "q", Plan(3));
        store.Register("s", "q", Plan(3));
        var runs = store.Runs("s", "q");
        Assert.Equal(Plan(3).Select(p => p.Hash), runs.Select(r => r.Hash));
        Assert.Equal([RunStatus.Done, RunStatus.Queued, RunStatus.Queued], runs.Select(r => r.Status));
        Assert.Equal(2, store.Epochs(c.Run.Hash).Count);
        Assert.Equal("3", runs[2].Point["seed"]);
    }

    [Fact]
    public void Completing_stores_every_metric_with_the_done_status_and_a_lost_claim_stores_nothing()
    {
        using var store = Open();
        store.Register("s", "q", Plan(2));
        var a = store.Claim(Request("me"))!;
        Assert.False(a.Resume);
        Assert.True(store.Complete(a.Run.Hash, "me", Result(4)));
        var done = store.Get(a.Run.Hash, "s", "q")!;
        Assert.True(done.Done);
        Assert.Equal(3, done.Summary!.Epochs);
        Assert.Equal("""{"name": "run"}""", done.RunJson);
        Assert.Equal(Result(4).Epochs, store.Epochs(a.Run.Hash));
        Assert.Equal(Result(4).Steps, store.Steps(a.Run.Hash));
        Assert.Equal(Result(4).Examples, store.Examples(a.Run.Hash));
        Assert.NotNull(done.StartedAt);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", done.FinishedAt!);

        // a worker that lost its claim stores nothing, its memorization measures included (issue 18: they were saved
        // before Complete checked who held the run); the holder's go in with its 'done'
        var b = store.Claim(Request("me"))!;
        var memorized = Result(4) with { Memorization = new MemorizationFile { Radius = 0.1, Points = [new(1, "all", 10, 0.25, 2.0, 0.5)] } };
        Assert.False(store.Complete(b.Run.Hash, "someone-else", memorized));
        Assert.Equal(RunStatus.Running, store.Get(b.Run.Hash, "s", "q")!.Status);
        Assert.Empty(store.Epochs(b.Run.Hash));
        Assert.DoesNotContain(store.Memorization(), m => m.Hash == b.Run.Hash);
        Assert.True(store.Complete(b.Run.Hash, "me", memorized));
        Assert.Equal(0.25, Assert.Single(store.Memorization(), m => m.Hash == b.Run.Hash).Point.CriticalSampleRatio);
    }

    [Fact]
    public void Non_finite_metrics_are_read_back_as_nan()
    {
        using var store = Open();
        store.Register("s", "q", Plan(1));
        var a = store.Claim(Request("me"))!;
        Assert.True(store.Complete(a.Run.Hash, "me", new RunResult("""{"stop_reason": "diverged"}""", null,
            [new EpochMetrics(0, 0, 50, 2.3, 0.1, 2.3, 0.1, 0), new EpochMetrics(1, 8, 50, double.NaN, 0.1, double.PositiveInfinity, 0.1, 1)],
            [new StepRow(2, 1, 50, double.NaN)], [], 1)));
        var epochs = store.Epochs(a.Run.Hash);
        Assert.True(double.IsNaN(epochs[1].TrainLoss));
        Assert.True(double.IsNaN(epochs[1].TestLoss));
        Assert.Equal(2.3, epochs[0].TrainLoss);
        Assert.True(double.IsNaN(store.Steps(a.Run.Hash)[0].Loss));
    }

    [Fact]
    public void Every_non_finite_real_is_stored_as_null_in_every_table_and_read_back_as_nan()
    {
        using (var store = Open())
        {
            store.Register("s", "q", Plan(1));
            var a = store.Claim(Request("me"))!;
            Assert.True(store.Complete(a.Run.Hash, "me", new RunResult("{}", null,
                [new EpochMetrics(0, 0, 0.1, double.NegativeInfinity, double.NaN, double.PositiveInfinity, 0.5, 0)], [new StepRow(1, 0, 0.1, double.NegativeInfinity)], [], 1)));
            var m = new MeasureFile();
            m.Values["sharpness"] = double.PositiveInfinity;
            m.Values["path_norm"] = double.NaN;
            m.Series["margins"] = [1.0, double.NaN, double.NegativeInfinity];
            store.SaveMeasures(a.Run.Hash, m);
            store.SaveMemorization(a.Run.Hash, new MemorizationFile { Radius = 0.1, Points = [new(1, "all", 10, double.PositiveInfinity, double.NaN, 0.5)] });
        }
        using var again = Stores.OpenExisting(Address);
        var hash = Plan(1)[0].Hash;
        var e = again.Epochs(hash).Single();
        Assert.Equal([double.NaN, double.NaN, double.NaN, 0.5], [e.TrainLoss, e.TrainAccuracy, e.TestLoss, e.TestAccuracy]);
        Assert.True(double.IsNaN(again.Steps(hash).Single().Loss));
        var measures = again.Measures()[hash];
        Assert.Equal([null, null], [measures.Value("sharpness"), measures.Value("path_norm")]);   // a measure that is not a number: not computable
        Assert.Equal([1.0, double.NaN, double.NaN], measures.Series["margins"]);
        var point = again.Memorization().Single().Point;
        Assert.Equal([double.NaN, double.NaN], [point.CriticalSampleRatio, point.LossSensitivity]);
        using var reader = ResultsReader.Open(Address);   // what export-db reads: NULL in both backends, never NaN or Infinity
        var epochs = reader.Table("epochs");
        var row = epochs.Rows.Single();
        foreach (var column in new[] { "train_loss", "train_accuracy", "test_loss" })
            Assert.Null(row[epochs.Columns.ToList().FindIndex(c => c.Name == column)]);
        var stored = reader.Table("measures").Rows.Select(r => r[2]).ToList();
        Assert.Equal([null, null], stored);
    }

    [Fact]
    public void A_lease_that_is_not_renewed_expires_after_its_holders_lease_and_the_run_returns_to_the_queue()
    {
        using var store = Open();
        store.Register("s", "q", Plan(1));
        var a = store.Claim(Request("worker-a", leaseSeconds: 60))!;
        using var other = Open();
        Assert.Null(other.Claim(Request("worker-b", leaseSeconds: 1)));
        Silence(a.Run.Hash, 30);   // silent past the claimer's 1 s, within the holder's 60 s: still the holder's
        Assert.Null(other.Claim(Request("worker-b", leaseSeconds: 1)));
        var lease = other.Leases().Single();
        Assert.Equal(("worker-a", (double?)60), (lease.Worker, lease.LeaseSeconds));
        Assert.InRange(lease.SecondsSinceHeartbeat, 29.99, 60);   // SQLite's julianday arithmetic gives 30 s as 29.999998
        Silence(a.Run.Hash, 61);   // past the holder's own lease: any claimer may take it, whatever lease it asks with
        var b = other.Claim(Request("worker-b", leaseSeconds: 3600))!;
        Assert.Equal(a.Run.Hash, b.Run.Hash);
        Assert.True(b.Resume);   // an earlier attempt started it: the new holder resumes from its checkpoint
        Assert.Equal(2, b.Run.Attempts);
        Assert.Equal(3600, other.Leases().Single().LeaseSeconds);   // the lease is now the new holder's
        Assert.False(store.Heartbeat(a.Run.Hash, "worker-a"));   // the old holder learns it lost the run
        Assert.False(store.Complete(a.Run.Hash, "worker-a", Result(1)));
        Assert.True(other.Complete(b.Run.Hash, "worker-b", Result(1)));
    }

    [Fact]
    public void A_run_held_by_an_ended_process_of_this_host_is_taken_at_once_and_one_elsewhere_is_not()
    {
        using var store = Open();
        store.Register("s", "q", Plan(2));
        var away = store.Claim(Request("elsewhere:1:1"))!;                           // another host: only its lease counts
        var dead = store.Claim(Request($"{Environment.MachineName}:999999:1"))!;   // no such process here
        var taken = store.Claim(Request(Shatter.Results.WorkerId.Current))!;
        Assert.Equal(dead.Run.Hash, taken.Run.Hash);
        Assert.True(taken.Resume);
        Assert.Null(store.Claim(Request(Shatter.Results.WorkerId.Current)));
        Assert.Equal(RunStatus.Running, store.Get(away.Run.Hash, "s", "q")!.Status);
    }

    [Fact]
    public void A_heartbeat_renews_the_lease()
    {
        using var store = Open();
        store.Register("s", "q", Plan(1));
        var a = store.Claim(Request("worker-a", leaseSeconds: 60))!;
        Silence(a.Run.Hash, 100);
        Assert.True(store.Heartbeat(a.Run.Hash, "worker-a"));
        using var other = Open();
        Assert.Null(other.Claim(Request("worker-b", leaseSeconds: 1)));
        Assert.InRange(other.Leases().Single().SecondsSinceHeartbeat, -1, 59);
    }

    [Fact]
    public void Failed_runs_are_skipped_by_workers_until_requeued()
    {
        using var store = Open();
        store.Register("s", "q", Plan(1));
        var a = store.Claim(Request("me"))!;
        store.Fail(a.Run.Hash, "me", "boom");
        var failed = store.Get(a.Run.Hash, "s", "q")!;
        Assert.Equal((RunStatus.Failed, "boom"), (failed.Status, failed.Error));
        Assert.Null(store.Claim(Request("worker", failed: false)));
        Assert.Null(store.Claim(Request("me") with { Skip = new HashSet<string> { a.Run.Hash } }));
        Assert.Equal(1, store.Requeue("s", "q"));
        Assert.Equal(0, store.Requeue("s", "q"));
        Assert.Equal(a.Run.Hash, store.Claim(Request("worker", failed: false))!.Run.Hash);
    }

    [Fact]
    public void A_queued_run_the_worker_already_tried_in_this_pass_is_skipped_and_the_next_one_claimed()
    {
        // a run handed back (its folder still in use) is queued again: the same pass must move on, not claim it in a loop
        using var store = Open();
        store.Register("s", "q", Plan(2));
        var first = store.Claim(Request("me"))!;
        store.Release(first.Run.Hash, "me");
        var skip = new HashSet<string> { first.Run.Hash };
        var second = store.Claim(Request("me", failed: false) with { Skip = skip })!;
        Assert.NotEqual(first.Run.Hash, second.Run.Hash);
        Assert.Null(store.Claim(Request("me", failed: false) with { Skip = skip }));
        Assert.Equal(first.Run.Hash, store.Claim(Request("other", failed: false))!.Run.Hash);   // any other claimer takes it
    }

    [Fact]
    public void Attempts_are_numbered_over_the_runs_life_and_a_running_one_left_behind_is_marked_lost()
    {
        using var store = Open();
        store.Register("s", "q", Plan(1));
        var a = store.Claim(Request("one", leaseSeconds: 10))!;
        Assert.Equal(1, store.BeginAttempt(a.Run.Hash, "one"));
        Silence(a.Run.Hash, 20);
        var b = store.Claim(Request("two"))!;   // "one" left its attempt running; its lease is over
        Assert.Equal(2, store.BeginAttempt(b.Run.Hash, "two"));
        store.EndAttempt(b.Run.Hash, 2, AttemptOutcome.Failed, "oops");
        Assert.Equal(3, store.BeginAttempt(b.Run.Hash, "two"));
        store.EndAttempt(b.Run.Hash, 3, AttemptOutcome.Done);
        var attempts = store.Attempts(a.Run.Hash);
        Assert.Equal([AttemptOutcome.Lost, AttemptOutcome.Failed, AttemptOutcome.Done], attempts.Select(x => x.Outcome));
        Assert.Equal(["one", "two", "two"], attempts.Select(x => x.Worker));
        Assert.Equal("oops", attempts[1].Error);
        Assert.All(attempts, x => Assert.NotNull(x.FinishedAt));
        Assert.Equal(3, store.Attempts().Count);
    }

    [Fact]
    public void An_attempt_a_crash_left_marked_running_reads_as_lost_and_is_recorded_lost_by_the_next_sweep()
    {
        using var store = Open();
        store.Register("s", "q", Plan(2));
        var failed = store.Claim(Request("elsewhere:1:1"))!;
        store.BeginAttempt(failed.Run.Hash, "elsewhere:1:1");
        store.Fail(failed.Run.Hash, "elsewhere:1:1", "disk full");                      // its run's end was stored, its attempt's was not
        var crashed = store.Claim(Request($"{Environment.MachineName}:999999:1", failed: false))!;   // a process of this host that no longer exists
        store.BeginAttempt(crashed.Run.Hash, $"{Environment.MachineName}:999999:1");   // ... and died on a full disk, recording nothing more
        Assert.Equal([AttemptOutcome.Lost], store.Attempts(crashed.Run.Hash).Select(a => a.Outcome));
        Assert.Equal([AttemptOutcome.Lost], store.Attempts(failed.Run.Hash).Select(a => a.Outcome));
        store.Register("s", "q", Plan(2));   // the next sweep records it
        using var raw = Open();
        Assert.Equal(AttemptOutcome.Lost, raw.Attempts(failed.Run.Hash).Single().Outcome);
        Assert.NotNull(raw.Attempts(failed.Run.Hash).Single().FinishedAt);
    }

    [Fact]
    public void Report_hints_are_stored_per_spec_and_removed_with_null()
    {
        using var store = Open();
        var hints = new ReportHints(X: "seed", Series: "model");
        store.SaveReportHints("s", hints);
        Assert.Equal(("seed", "model"), (store.ReportHints("s")!.X, store.ReportHints("s")!.Series));
        Assert.Null(store.ReportHints("other"));
        store.SaveReportHints("s", null);
        Assert.Null(store.ReportHints("s"));
    }

    [Fact]
    public void Measures_of_a_run_are_replaced_as_a_whole_and_read_back_with_nulls_and_series()
    {
        using (var store = Open())
        {
            store.Register("s", "q", Plan(2));
            Assert.Empty(store.Measures());
            var first = new MeasureFile();
            first.Values["path_norm"] = 2.5;
            first.Values["gone"] = 1;
            first.Series["normalized_margin_percentiles"] = [0.1, 0.2, 0.30000000000000004];
            store.SaveMeasures(Plan(2)[0].Hash, first);
            var second = new MeasureFile();
            second.Values["path_norm"] = 3.25;
            second.Values["sharpness"] = null;   // not computable: NULL, read back as null
            store.SaveMeasures(Plan(2)[0].Hash, second);
            var other = new MeasureFile();
            other.Values["path_norm"] = -1e-300;
            store.SaveMeasures(Plan(2)[1].Hash, other);
        }
        using var again = Open();
        var all = again.Measures();
        Assert.Equal(2, all.Count);
        var a = all[Plan(2)[0].Hash];
        Assert.Equal(["path_norm", "sharpness"], a.Values.Keys);   // the first save's "gone" and series were replaced
        Assert.Equal(3.25, a.Value("path_norm"));
        Assert.Null(a.Value("sharpness"));
        Assert.Empty(a.Series);
        Assert.Equal(-1e-300, all[Plan(2)[1].Hash].Value("path_norm"));
        again.SaveMeasures(Plan(2)[1].Hash, new MeasureFile { Series = new() { ["s"] = [1.0, double.Epsilon] } });
        Assert.Equal([1.0, double.Epsilon], again.Measures()[Plan(2)[1].Hash].Series["s"]);
    }

    [Fact]
    public void The_reader_lists_runs_and_exports_the_same_tables_with_sqlite_kinds()
    {
        using (var store = Open())
        {
            store.Register("s", "q", Plan(2));
            var c = store.Claim(Request("me"))!;
            Assert.True(store.Complete(c.Run.Hash, "me", Result(2)));
            var m = new MeasureFile();
            m.Values["path_norm"] = 4;
            store.SaveMeasures(c.Run.Hash, m);
        }
        using var reader = ResultsReader.Open(Address);
        Assert.Equal(Address.Display, reader.Path);
        var runs = RunTable.Load(reader);
        Assert.Equal(Plan(2).Select(p => p.Hash), runs.Select(r => r.Hash));
        Assert.Equal(["done", "queued"], runs.Select(r => r.Status));
        Assert.Equal("1", runs[0].Axis("seed"));
        var tables = reader.ExportTables().ToDictionary(t => t.Name);
        Assert.Equal(["attacks", "capacity", "epochs", "examples", "measure_series", "measures", "memorization", "run_attempts", "runs", "steps"], tables.Keys.Order(StringComparer.Ordinal));
        var examples = tables["examples"];
        Assert.Equal(["hash", "idx", "label_changed", "input_changed", "first_fit_epoch"], examples.Columns.Select(x => x.Name));
        Assert.Equal(ColumnKind.Integer, examples.Columns[2].Kind);   // a PostgreSQL boolean exported as SQLite's 0/1
        var rows = examples.Rows.ToList();
        Assert.Equal("1,0;0,1", string.Join(";", rows.Select(r => $"{r[2]},{r[3]}")));
        Assert.All(rows, r => Assert.IsType<long>(r[2]));
        var epochs = tables["epochs"];
        Assert.Equal(ColumnKind.Real, epochs.Columns.Single(x => x.Name == "train_loss").Kind);
        int loss = epochs.Columns.ToList().FindIndex(x => x.Name == "train_loss");
        Assert.Equal([1.0, 0.5], epochs.Rows.Select(r => (double)r[loss]!));
        Assert.Equal([4.0], tables["measures"].Rows.Select(r => (double)r[2]!));
        var finished = runs[0].Fields.Single(f => f.Key == "finished_at").Value as string;
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", finished);   // a time as ISO 8601 UTC text in both backends
    }

    internal static RademacherResult Rademacher(double mean, int n = 50) =>
        new("mlp-1x512", "fashion-mnist", n, 1, 100, 0.01, 128, 1, 0.05, [new RademacherPoint(5, mean, 0, mean, mean, [mean], 0.5, 0.9)], 1.5);

    internal static ShatteringResult Shattering(int fitted) => new("mlp-1x4", 4, 2, true, 16, fitted, 17, 3, 2000, 0.05, 1, 0.2);

    [Fact]
    public void The_report_section_of_complexity_measures_shows_what_the_store_holds_and_nothing_from_files_beside_it()
    {
        using var store = Open();
        store.Register("s", "q", Plan(1));
        // another run's Rademacher result in the folder the report looks in: not this database's, so not shown
        var folder = Path.Combine(Path.GetTempPath(), "shatter-beside-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "capacity-rademacher.json"), Shatter.Json.Serialize(new[] { Rademacher(1.0) }));
        try
        {
            Assert.False(new Shatter.Reporting.Sections.MeasuresSection().Applies(Shatter.Reporting.ReportContext.From(store, "q", folder)));
            store.SaveMeasures(Plan(1)[0].Hash, new MeasureFile { Values = new() { ["path_norm"] = 1 } });
            var context = Shatter.Reporting.ReportContext.From(store, "q", folder);
            Assert.True(new Shatter.Reporting.Sections.MeasuresSection().Applies(context));
            Assert.Equal(1.0, context.Measures[Plan(1)[0].Hash].Value("path_norm"));
            Assert.Empty(context.Capacity.Rademacher);
        }
        finally
        {
            Scratch.Delete(folder);
        }
    }

    [Fact]
    public void Rademacher_and_shattering_results_are_stored_and_a_new_one_of_a_setting_replaces_the_old()
    {
        using (var store = Open())
        {
            Assert.False(store.Capacity().Any);
            store.SaveCapacity(Rademacher(0.5));
            store.SaveCapacity(Rademacher(0.75));          // the same setting: replaces
            store.SaveCapacity(Rademacher(0.25, n: 100));  // another
            store.SaveCapacity(Shattering(12));
            store.SaveCapacity(Shattering(16));
        }
        using var again = Stores.OpenExisting(Address);
        var capacity = again.Capacity();
        Assert.Equal([(50, 0.75), (100, 0.25)], capacity.Rademacher.Select(r => (r.TrainSize, r.Budgets[0].Mean)).OrderBy(x => x.Item1));
        Assert.Equal([0.75], capacity.Rademacher.Single(r => r.TrainSize == 50).Budgets[0].PerDraw);
        var vc = Assert.Single(capacity.Shattering);
        Assert.True(vc.Shattered);
        Assert.True(new Shatter.Reporting.Sections.MeasuresSection().Applies(Shatter.Reporting.ReportContext.From(again, "q")));
    }

    [Fact]
    public void Attack_and_memorization_points_round_trip_and_a_second_save_replaces_the_first()
    {
        using var store = Open();
        Assert.Empty(store.Attacks());
        Assert.Empty(store.Memorization());
        var report = new AttackReport { Method = AttackMethod.Pgd, Steps = 10, Points = [new("test", 0, "0", 0.9, 100), new("test", 4 / 255.0, "4/255", 0.4, 100)] };
        var file = new MemorizationFile { Radius = 0.01, Points = [new(1, "clean", 80, 0.1, 2.5, 0.3), new(1, "corrupted", 0, double.NaN, double.NaN, 0.3)] };
        store.SaveAttack("00aa", report with { Points = [new("test", 0, "0", 0.5, 100)] });
        store.SaveAttack("00aa", report);
        store.SaveAttack("00aa", report with { Method = AttackMethod.Fgsm, Steps = 1 });
        store.SaveAttack("00bb", report with { Points = [new("train", 0, "0", 0.5, 10), new("train", 0, "0", 0.75, 10)] });   // a repeated point: the last wins
        store.SaveMemorization("00aa", file with { Points = [new(9, "clean", 1, 1, 1, 1)] });
        store.SaveMemorization("00aa", file);
        using var again = Open();
        var attacks = again.Attacks();
        Assert.Equal(5, attacks.Count);
        var pgd = attacks.Where(a => a is { Hash: "00aa", Method: "pgd" }).ToList();
        Assert.Equal([0.9, 0.4], pgd.Select(a => a.Accuracy));
        Assert.Equal(("4/255", 10), (pgd[1].EpsilonText, pgd[1].Steps));
        Assert.Equal(0.75, attacks.Single(a => a.Hash == "00bb").Accuracy);
        var memorization = again.Memorization();
        Assert.Equal(2, memorization.Count);
        Assert.Equal(2.5, memorization.Single(m => m.Point.Group == "clean").Point.LossSensitivity);
        Assert.True(double.IsNaN(memorization.Single(m => m.Point.Group == "corrupted").Point.CriticalSampleRatio));
    }
}

public sealed class SqliteStoreContractTests : StoreContractTests, IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "shatter-contract-" + Guid.NewGuid().ToString("N"));

    protected override IResultsStore Open() => Stores.Open(Address);

    protected override DatabaseAddress Address => DatabaseAddress.Parse(Path.Combine(dir, "shatter.db"));

    protected override void Silence(string hash, double seconds)
    {
        using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Address.File};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "UPDATE runs SET heartbeat = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || $s || ' seconds') WHERE hash = $h";
        cmd.Parameters.AddWithValue("$s", seconds);
        cmd.Parameters.AddWithValue("$h", hash);
        Assert.Equal(1, cmd.ExecuteNonQuery());
    }

    public void Dispose()
    {
        Scratch.Delete(dir);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreContractTests(PostgresServer server) : StoreContractTests
{
    readonly DatabaseAddress address = server.NewDatabase();

    protected override IResultsStore Open() => Stores.Open(address);

    protected override DatabaseAddress Address => address;

    protected override void Silence(string hash, double seconds)
    {
        using var c = new Npgsql.NpgsqlConnection(address.ConnectionString());
        c.Open();
        using var cmd = new Npgsql.NpgsqlCommand("UPDATE runs SET heartbeat = clock_timestamp() - make_interval(secs => @s) WHERE hash = @h", c);
        cmd.Parameters.AddWithValue("s", seconds);
        cmd.Parameters.AddWithValue("h", hash);
        Assert.Equal(1, cmd.ExecuteNonQuery());
    }
}
