using Shatter.Experiments;
using Shatter.Results;
using Shatter.Training;

namespace Shatter.Tests.Experiments;

/// <summary>
/// Issue 18, the shared queue's lease: a worker that takes over a run whose former holder still trains in its folder
/// (the folder's lock is held) hands the run back to the queue instead of failing it for good, since workers never
/// reclaim failed runs. With the real trainer (it seeds torch's global generator, hence the serial collection), which
/// is what meets the lock.
/// </summary>
[Collection(Training.SerialTorchRandom.Name)]
public sealed class SweepFolderLockTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "shatter-sweep-lock-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Scratch.Delete(dir);
    }

    /// <summary>One run of one epoch on 100 images.</summary>
    static readonly ExperimentSpec Spec = SpecParser.Parse("""
        name: locked
        scales:
          s: { train_size: 100, test_size: 100, epochs: 1, threads: 1 }
        grid:
          model: [mlp-1x512]
        """, "locked.yaml");

    [Fact]
    public void A_run_whose_folder_another_process_still_locks_goes_back_to_the_queue_and_is_not_failed()
    {
        var spec = Spec;
        var logged = new List<string>();
        var options = new SweepOptions { ResultsDir = dir, PollInterval = TimeSpan.FromMilliseconds(10), Log = logged.Add };
        var hash = spec.Expand("s").Single().Hash;
        var folder = new RunFolder(options.RunDir(hash));
        Directory.CreateDirectory(folder.Path);
        using var store = SqliteStore.Open(Path.Combine(dir, "shatter.db"));
        using (folder.Lock())   // the former holder, still training in the folder
        {
            var outcome = new Sweep(store, new TrainerExecutor(), options with { FolderWait = TimeSpan.Zero }).Run(spec, "s", null, CancellationToken.None);
            Assert.Equal(0, outcome.Failed);
            var run = store.Runs("locked", "s").Single();
            Assert.Equal(RunStatus.Queued, run.Status);   // back in the queue, where a worker (which skips failed runs) takes it
            Assert.Null(run.Error);
            Assert.Contains(logged, l => l.Contains($"run {hash}: its folder {folder.Path} is still in use", StringComparison.Ordinal)
                && l.EndsWith("handed back to the queue.", StringComparison.Ordinal));
            Assert.False(File.Exists(folder.SummaryJson));   // nothing trained into the held folder
        }
        // once the former holder has let go, the next sweep runs it
        var next = new Sweep(store, new TrainerExecutor(), options).Run(spec, "s", null, CancellationToken.None);
        Assert.Equal((1, 0), (next.Done, next.Failed));
        Assert.Equal(RunStatus.Done, store.Runs("locked", "s").Single().Status);
    }

    [Fact]
    public void A_worker_takes_a_run_it_handed_back_again_once_the_folder_is_free_and_leaves_nothing_queued()
    {
        var spec = Spec;
        using var store = SqliteStore.Open(Path.Combine(dir, "shatter.db"));
        store.Register("locked", "s", spec.Expand("s"));
        var hash = spec.Expand("s").Single().Hash;
        var folder = new RunFolder(Path.Combine(dir, "runs", hash));
        Directory.CreateDirectory(folder.Path);
        var held = folder.Lock();   // the former holder, still training in the folder
        var logged = new List<string>();
        void Log(string line)
        {
            logged.Add(line);
            if (line.EndsWith("handed back to the queue.", StringComparison.Ordinal)) held.Dispose();   // the former holder lets go
        }
        var options = new SweepOptions { ResultsDir = dir, PollInterval = TimeSpan.FromMilliseconds(10), FolderWait = TimeSpan.Zero, Log = Log };
        var outcome = new Sweep(store, new TrainerExecutor(), options).Serve("locked", "s", null, null, CancellationToken.None);
        held.Dispose();
        Assert.Single(logged, l => l.EndsWith("handed back to the queue.", StringComparison.Ordinal));
        Assert.Equal((1, 0), (outcome.Done, outcome.Failed));   // taken again by the same worker, not left queued behind it
        Assert.Equal(RunStatus.Done, store.Runs("locked", "s").Single().Status);
    }
}
