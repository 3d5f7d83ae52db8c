using System.Diagnostics;
using Shatter.Results;
using Shatter.Tests.Cli;
using Shatter.Tests.Results;

namespace Shatter.Tests.Experiments;

/// <summary>
/// A worker process serving a PostgreSQL queue is killed with SIGKILL in the middle of a run; a second worker takes
/// the run over once its lease (3 s here) expires, resumes it from its last checkpoint, and ends with exactly the
/// metrics of the same run done without interruption (in a SQLite sweep).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class WorkerKillTests(PostgresServer server) : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "shatter-wkill-" + Guid.NewGuid().ToString("N"));
    string SpecPath => Path.Combine(dir, "wkill.yaml");

    public void Dispose()
    {
        Scratch.Delete(dir);
    }

    /// <summary>One run of several seconds on the real Fashion-MNIST (a checkpoint after its first epoch).</summary>
    const string Spec = """
        name: wkill
        scales:
          s: { train_size: 600, test_size: 200, epochs: 10, batch_size: 50, threads: 1 }
        grid:
          model: [mlp-1x512]
          seed: [3]
        """;


    [Fact]
    public void A_killed_workers_run_is_taken_over_after_its_lease_and_ends_as_the_uninterrupted_run()
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(SpecPath, Spec);
        var address = server.NewDatabase();
        var runsDir = Path.Combine(dir, "shared", "runs");

        var reference = CliRunner.Run("sweep", SpecPath, "--scale", "s", "--db", Path.Combine(dir, "reference", "shatter.db"));
        Assert.True(reference.ExitCode == 0, reference.Output + reference.Error);
        var enqueue = CliRunner.Run("sweep", SpecPath, "--scale", "s", "--db", address.Display, "--enqueue");
        Assert.True(enqueue.ExitCode == 0, enqueue.Error);
        Assert.Contains("1 runs in the queue", enqueue.Output);

        string hash;
        using (var first = ShatterProcess.Start(null, "worker", "--db", address.Display, "--runs-dir", runsDir, "--lease", "3"))
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), "the worker did not get 3 epochs into its run within 3 minutes:\n" + first.Output);
                Assert.False(first.HasExited, "the worker ended before it could be killed:\n" + first.Output);
                Thread.Sleep(100);
                var folder = Directory.Exists(runsDir) ? Directory.GetDirectories(runsDir).SingleOrDefault() : null;
                if (folder is not null && RunProgress.EpochRows(folder) >= 3) break;
            }
            first.KillHard();
        }
        using (var store = Stores.OpenExisting(address))
        {
            var run = store.Runs("wkill", "s").Single();
            Assert.Equal(RunStatus.Running, run.Status);   // the dead worker still holds it, until its lease expires
            hash = run.Hash;
        }

        using (var second = ShatterProcess.Start(null, "worker", "--db", address.Display, "--runs-dir", runsDir, "--lease", "3"))
        {
            Assert.Equal(0, second.Wait(TimeSpan.FromMinutes(4)));
            Assert.Contains($"resume {hash}", second.Output);
            Assert.Contains("ran 1 runs here; the queue has 1 of 1 runs done, 0 failed.", second.Output);
        }

        using var pg = Stores.OpenExisting(address);
        using var sqlite = Stores.OpenExisting(DatabaseAddress.Parse(Path.Combine(dir, "reference", "shatter.db")));
        var taken = pg.Get(hash, "wkill", "s")!;
        Assert.True(taken.Done);
        var attempts = pg.Attempts(hash);
        Assert.Equal([AttemptOutcome.Lost, AttemptOutcome.Done], attempts.Select(a => a.Outcome));
        Assert.NotEqual(attempts[0].Worker, attempts[1].Worker);

        // exactly the uninterrupted run: every epoch's metrics and every step's loss (not the wall times)
        static object Metrics(Shatter.Training.EpochMetrics e) => (e.Epoch, e.Step, e.LearningRate, e.TrainLoss, e.TrainAccuracy, e.TestLoss, e.TestAccuracy);
        Assert.Equal(sqlite.Epochs(hash).Select(Metrics), pg.Epochs(hash).Select(Metrics));
        Assert.Equal(11, pg.Epochs(hash).Count);
        Assert.Equal(sqlite.Steps(hash), pg.Steps(hash));
        Assert.Equal(sqlite.Examples(hash), pg.Examples(hash));
        var (a, b) = (sqlite.Get(hash, "wkill", "s")!.Summary!, taken.Summary!);
        Assert.Equal((a.FinalTrainAccuracy, a.FinalTestAccuracy, a.Steps, a.StepsToFit), (b.FinalTrainAccuracy, b.FinalTestAccuracy, b.Steps, b.StepsToFit));
    }

    [Fact]
    public void A_worker_sent_sigterm_hands_its_run_back_to_the_queue_and_the_next_worker_resumes_it()
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(SpecPath, Spec);
        var address = server.NewDatabase();
        var runsDir = Path.Combine(dir, "shared", "runs");
        Assert.Equal(0, CliRunner.Run("sweep", SpecPath, "--scale", "s", "--db", address.Display, "--enqueue").ExitCode);
        using (var first = ShatterProcess.Start(null, "worker", "--db", address.Display, "--runs-dir", runsDir))
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), "the worker did not get 2 epochs into its run within 3 minutes:\n" + first.Output);
                Assert.False(first.HasExited, "the worker ended before it could be stopped:\n" + first.Output);
                Thread.Sleep(100);
                var folder = Directory.Exists(runsDir) ? Directory.GetDirectories(runsDir).SingleOrDefault() : null;
                if (folder is not null && RunProgress.EpochRows(folder) >= 2) break;
            }
            first.Terminate();
            Assert.Equal(130, first.Wait(TimeSpan.FromMinutes(1)));
            Assert.Contains("interrupted; its run went back to the queue, where the next worker resumes it from its checkpoint.", first.Output);
        }
        string hash;
        using (var store = Stores.OpenExisting(address))
        {
            var run = store.Runs("wkill", "s").Single();
            Assert.Equal((RunStatus.Queued, (string?)null), (run.Status, run.Worker));   // at once: no lease to wait for
            Assert.Equal(AttemptOutcome.Interrupted, store.Attempts(run.Hash).Single().Outcome);
            hash = run.Hash;
        }
        var second = CliRunner.Run("worker", "--db", address.Display, "--runs-dir", runsDir);
        Assert.True(second.ExitCode == 0, second.Output + second.Error);
        Assert.Contains($"start {hash}", second.Output);
        using var done = Stores.OpenExisting(address);
        Assert.Equal(11, done.Epochs(hash).Count);
        Assert.Equal([AttemptOutcome.Interrupted, AttemptOutcome.Done], done.Attempts(hash).Select(a => a.Outcome));
    }
}
