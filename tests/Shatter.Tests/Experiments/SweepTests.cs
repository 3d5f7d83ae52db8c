using Shatter.Experiments;
using Shatter.Results;

namespace Shatter.Tests.Experiments;

public sealed class SweepTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "shatter-sweep-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Scratch.Delete(dir);
    }

    static readonly ExperimentSpec Spec = SpecParser.Parse("""
        name: demo
        scales:
          s: { train_size: 20, epochs: 30, until_fit: true }
        grid:
          model: [mlp-1x512]
          label_noise: [0, 0.5, 1.0]
          seed: [1, 2]
        """, "demo.yaml");

    SweepOptions Options => new() { ResultsDir = dir, PollInterval = TimeSpan.FromMilliseconds(10) };

    [Fact]
    public void A_read_only_runs_dir_is_one_sentence_for_the_sweep_and_no_run_is_tried_or_failed()
    {
        using var folder = new Shatter.Tests.Results.ReadOnlyFolder(Path.Combine(dir, "read-only-runs"));
        var fake = new FakeExecutor();
        using var store = SqliteStore.Open(Path.Combine(dir, "shatter.db"));
        var e = Assert.Throws<ShatterException>(() => new Sweep(store, fake, Options with { RunsDir = folder.Path }).Run(Spec, "s", null, CancellationToken.None));
        Assert.StartsWith($"cannot write run folders in {folder.Path} (", e.Message);
        Assert.EndsWith("give --runs-dir (or --out) a folder you can write to.", e.Message);
        Assert.Empty(fake.Calls);                                                     // nothing trained
        Assert.Empty(store.Attempts());                                               // no attempt, so no retries
        Assert.All(store.Runs("demo", "s"), r => Assert.Equal(RunStatus.Queued, r.Status));   // still queued, not failed
    }

    [Fact]
    public void A_sweep_runs_every_run_once_and_a_rerun_repeats_none()
    {
        var fake = new FakeExecutor();
        using var store = SqliteStore.Open(Path.Combine(dir, "shatter.db"));
        var outcome = new Sweep(store, fake, Options).Run(Spec, "s", null, CancellationToken.None);
        Assert.Equal(new SweepOutcome(6, 6, 0, 6), outcome);
        Assert.Equal(6, fake.Calls.Select(c => RunIdentity.Hash(c.Config)).Distinct().Count());
        var finished = store.Runs("demo", "s").ToDictionary(r => r.Hash, r => r.FinishedAt);
        Assert.All(store.Runs("demo", "s"), r => Assert.NotEmpty(store.Epochs(r.Hash)));
        Assert.All(store.Runs("demo", "s"), r => Assert.True(File.Exists(Path.Combine(dir, "runs", r.Hash, "summary.json"))));

        var again = new Sweep(store, fake, Options).Run(Spec, "s", null, CancellationToken.None);
        Assert.Equal(0, again.RanHere);
        Assert.Equal(6, fake.Calls.Count);
        Assert.Equal(finished, store.Runs("demo", "s").ToDictionary(r => r.Hash, r => r.FinishedAt));
    }

    [Fact]
    public void A_failed_run_is_recorded_the_sweep_goes_on_and_the_next_sweep_resumes_it()
    {
        var fake = new FakeExecutor { FailWhen = c => c.LabelNoise == 0.5 && c.Seed == 2 };
        using var store = SqliteStore.Open(Path.Combine(dir, "shatter.db"));
        var outcome = new Sweep(store, fake, Options with { Retries = 0 }).Run(Spec, "s", null, CancellationToken.None);
        Assert.Equal(new SweepOutcome(6, 5, 1, 6), outcome);
        var failed = store.Runs("demo", "s").Single(r => r.Status == RunStatus.Failed);
        Assert.Contains("synthetic failure", failed.Error);

        fake.FailWhen = _ => false;
        var second = new Sweep(store, fake, Options).Run(Spec, "s", null, CancellationToken.None);
        Assert.Equal(new SweepOutcome(6, 6, 0, 1), second);
        var (config, resume) = fake.Calls.Last();
        Assert.Equal(failed.Hash, RunIdentity.Hash(config));
        Assert.True(resume);  // the failed attempt left files in its run folder
    }

    [Fact]
    public void Fail_fast_stops_at_the_first_failure_with_a_sentence_naming_the_run()
    {
        var fake = new FakeExecutor { FailWhen = c => c.LabelNoise == 0 };
        using var store = SqliteStore.Open(Path.Combine(dir, "shatter.db"));
        var e = Assert.Throws<ShatterException>(() => new Sweep(store, fake, Options with { FailFast = true }).Run(Spec, "s", null, CancellationToken.None));
        Assert.Contains("failed: InvalidOperationException: synthetic failure", e.Message);
        Assert.Equal(3, fake.Calls.Count);  // the first run, tried 1 + 2 (the default retries) times; no other run
    }

    [Fact]
    public void Cancelling_marks_the_current_run_interrupted_and_keeps_the_finished_ones()
    {
        using var cts = new CancellationTokenSource();
        int started = 0;
        var fake = new FakeExecutor { Before = _ => { if (++started == 3) cts.Cancel(); } };
        using var store = SqliteStore.Open(Path.Combine(dir, "shatter.db"));
        Assert.Throws<OperationCanceledException>(() => new Sweep(store, fake, Options).Run(Spec, "s", null, cts.Token));
        var runs = store.Runs("demo", "s");
        Assert.Equal(2, runs.Count(r => r.Done));
        Assert.Equal("interrupted", runs.Single(r => r.Status == RunStatus.Failed).Error);

        var rest = new Sweep(store, fake, Options).Run(Spec, "s", null, CancellationToken.None);
        Assert.Equal(6, rest.Done);
        Assert.Equal(4, rest.RanHere);
    }

    [Fact]
    public void Execution_overrides_reach_the_trainer_without_changing_identities()
    {
        var fake = new FakeExecutor();
        using var store = SqliteStore.Open(Path.Combine(dir, "shatter.db"));
        new Sweep(store, fake, Options with { Threads = 3, Device = "auto", DataDir = "/data" }).Run(Spec, "s", null, CancellationToken.None);
        Assert.All(fake.Calls, c => Assert.Equal((3, "auto", "/data"), (c.Config.Threads, c.Config.Device, c.Config.DataDir)));
        Assert.Equal(Spec.Expand("s").Select(r => r.Hash).Order(), store.Runs("demo", "s").Select(r => r.Hash).Order());
    }
}
