using System.Diagnostics;
using Shatter.Cli;
using Shatter.Results;

namespace Shatter.Tests.Experiments;

/// <summary>
/// Kills a real sweep process (the shatter executable, the real trainer) in the middle of a run, reruns
/// the sweep and checks that every run finished exactly once, that the runs finished before the kill were
/// not repeated, that the interrupted run was resumed, and that the database is intact.
/// </summary>
public sealed class SweepKillTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "shatter-kill-" + Guid.NewGuid().ToString("N"));
    string Db => Path.Combine(dir, "shatter.db");
    string SpecPath => Path.Combine(dir, "kill.yaml");

    public void Dispose()
    {
        Scratch.Delete(dir);
    }

    /// <summary>Four runs of a few seconds each on the real Fashion-MNIST.</summary>
    const string Spec = """
        name: kill
        scales:
          s: { train_size: 600, test_size: 200, epochs: 10, batch_size: 50, threads: 1 }
        grid:
          model: [mlp-1x512]
          label_noise: [0, 0.5]
          seed: [1, 2]
        """;

    Process StartSweep(params string[] extra)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { typeof(ShatterApp).Assembly.Location, "sweep", SpecPath, "--scale", "s", "--db", Db }.Concat(extra))
            info.ArgumentList.Add(a);
        var p = Process.Start(info)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }


    [Fact]
    public void Killing_a_sweep_mid_run_and_rerunning_it_finishes_every_run_exactly_once()
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(SpecPath, Spec);
        using (var first = StartSweep("--workers", "1"))   // one worker: exactly one run is interrupted (on the CPU the default is one per core)
        {
            // wait until one run is done and the next is a few epochs in, then kill
            var clock = Stopwatch.StartNew();
            while (true)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), "the sweep did not get a run done and the next one started within 3 minutes");
                Assert.False(first.HasExited, $"the sweep ended (exit code {(first.HasExited ? first.ExitCode : 0)}) before it could be killed");
                Thread.Sleep(100);
                if (!File.Exists(Db)) continue;
                using var peek = SqliteStore.Open(Db);
                var runs = peek.Runs("kill", "s");
                var running = runs.FirstOrDefault(r => r.Status == RunStatus.Running);
                if (runs.Count(r => r.Done) >= 1 && running is not null && RunProgress.EpochRows(Path.Combine(dir, "runs", running.Hash)) >= 3) break;
            }
            first.Kill(entireProcessTree: true);
            first.WaitForExit();
        }

        Dictionary<string, string?> finishedBefore;
        string interrupted;
        using (var store = SqliteStore.Open(Db))
        {
            Assert.Equal("ok", store.IntegrityCheck());
            var runs = store.Runs("kill", "s");
            finishedBefore = runs.Where(r => r.Done).ToDictionary(r => r.Hash, r => r.FinishedAt);
            interrupted = runs.Single(r => r.Status == RunStatus.Running).Hash;
            Assert.NotEmpty(finishedBefore);
        }

        using (var second = StartSweep("--workers", "1"))
        {
            Assert.True(second.WaitForExit(TimeSpan.FromMinutes(4)), "the rerun did not finish within 4 minutes");
            Assert.Equal(0, second.ExitCode);
        }

        using (var store = SqliteStore.Open(Db))
        {
            Assert.Equal("ok", store.IntegrityCheck());
            var runs = store.Runs("kill", "s");
            Assert.Equal(4, runs.Count);
            Assert.All(runs, r => Assert.True(r.Done, $"{r.Hash} is {r.Status}"));
            foreach (var (hash, finishedAt) in finishedBefore)
            {
                var run = runs.Single(r => r.Hash == hash);
                Assert.Equal(finishedAt, run.FinishedAt);   // not repeated
                Assert.Equal(1, run.Attempts);
            }
            var resumed = runs.Single(r => r.Hash == interrupted);
            Assert.Equal(2, resumed.Attempts);
            Assert.All(runs.Where(r => !finishedBefore.ContainsKey(r.Hash) && r.Hash != interrupted), r => Assert.Equal(1, r.Attempts));
            // the resumed run's metrics are whole: epochs 0..10, one row each
            Assert.Equal(Enumerable.Range(0, 11), store.Epochs(interrupted).Select(e => e.Epoch));
        }
    }

    [Fact]
    public void Two_worker_processes_share_a_sweep_and_run_each_run_once()
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(SpecPath, Spec.Replace("epochs: 10", "epochs: 3"));
        using (var sweep = StartSweep("--workers", "2"))
        {
            Assert.True(sweep.WaitForExit(TimeSpan.FromMinutes(4)), "the sweep did not finish within 4 minutes");
            Assert.Equal(0, sweep.ExitCode);
        }
        using var store = SqliteStore.Open(Db);
        var runs = store.Runs("kill", "s");
        Assert.Equal(4, runs.Count);
        Assert.All(runs, r => Assert.Equal((RunStatus.Done, 1), (r.Status, r.Attempts)));
        // the extra worker ran and logged (it may or may not have won a run, depending on start-up time)
        Assert.True(File.Exists(Path.Combine(dir, "logs", "worker-1.log")));
        Assert.Equal("ok", store.IntegrityCheck());
    }

    [Fact]
    public void A_cpu_sweep_without_workers_starts_one_single_threaded_worker_per_core()
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(SpecPath, Spec.Replace("epochs: 10", "epochs: 1").Replace(", threads: 1", ""));
        using (var sweep = StartSweep())
        {
            Assert.True(sweep.WaitForExit(TimeSpan.FromMinutes(4)), "the sweep did not finish within 4 minutes");
            Assert.Equal(0, sweep.ExitCode);
        }
        using var store = SqliteStore.Open(Db);
        var runs = store.Runs("kill", "s");
        Assert.All(runs, r => Assert.Equal(RunStatus.Done, r.Status));
        bool extra = Environment.ProcessorCount > 1;
        Assert.Equal(extra, File.Exists(Path.Combine(dir, "logs", "worker-1.log")));
        // every run trained with one libtorch thread (the cores divided among the workers)
        Assert.All(runs, r => Assert.Equal(extra ? 1 : r.Summary!.Threads, r.Summary!.Threads));
    }
}
