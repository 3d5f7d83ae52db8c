using System.Diagnostics;
using System.Globalization;
using Shatter.Experiments;
using Shatter.Results;
using Shatter.Tests.Cli;

namespace Shatter.Tests.Experiments;

/// <summary>
/// A real <c>shatter sweep --workers 2</c> (the parent and one worker process) stopped while both train: whether the
/// parent dies by SIGKILL or is stopped by SIGTERM, no worker outlives it, and the runs the workers held go back to the
/// queue (issue 18).
/// </summary>
public sealed class LocalSweepTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "shatter-local-" + Guid.NewGuid().ToString("N"));
    string Db => Path.Combine(dir, "shatter.db");
    string SpecPath => Path.Combine(dir, "long.yaml");

    readonly List<int> started = [];

    public void Dispose()
    {
        // a worker process that outlived a failed assertion must not outlive the test
        foreach (var pid in started)
            if (Stat(pid) is { State: not ('Z' or 'X') })
                try
                {
                    using var p = Process.GetProcessById(pid);
                    p.Kill();
                }
                catch (ArgumentException)
                {
                }
        Scratch.Delete(dir);
    }

    /// <summary>Four runs long enough to be stopped mid-run (the test never waits for them to finish).</summary>
    const string Spec = """
        name: long
        scales:
          s: { train_size: 600, test_size: 100, epochs: 500, batch_size: 50, threads: 1 }
        grid:
          model: [mlp-1x512]
          label_noise: [0, 0.5]
          seed: [1, 2]
        """;

    /// <summary>Starts the sweep and returns once two runs are training, each held by its own process; the worker processes' ids.</summary>
    (ShatterProcess Sweep, List<int> Children) StartTwoWorkers()
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(SpecPath, Spec);
        var sweep = ShatterProcess.Start(null, "sweep", SpecPath, "--scale", "s", "--db", Db, "--workers", "2");
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(4), $"two runs did not start training within 4 minutes:\n{sweep.Output}");
            Assert.False(sweep.HasExited, $"the sweep ended before it could be stopped:\n{sweep.Output}");
            Thread.Sleep(200);
            if (!File.Exists(Db)) continue;
            using var peek = SqliteStore.Open(Db);
            var running = peek.Runs("long", "s").Where(r => r.Status == RunStatus.Running).ToList();
            if (running.Select(r => r.Worker).Distinct().Count() == 2 && running.All(r => RunProgress.EpochRows(Path.Combine(dir, "runs", r.Hash)) >= 1))
            {
                var children = Children(sweep.Id);
                started.AddRange(children);
                return (sweep, children);
            }
        }
    }

    /// <summary>The processes whose parent is <paramref name="pid"/> (from /proc/PID/stat: "pid (comm) state ppid …").</summary>
    static List<int> Children(int pid) =>
        [.. Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)).Select(int.Parse!)
            .Where(p => Stat(p) is { } s && s.Parent == pid)];

    static (char State, int Parent)? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            return null;  // gone
        }
    }

    /// <summary>Whether the process has ended (gone, or a zombie nobody reaped yet), waiting at most <paramref name="limit"/>.</summary>
    static bool Ends(int pid, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (Stat(pid) is not { } s || s.State is 'Z' or 'X') return true;
            Thread.Sleep(100);
        }
        return false;
    }

    [Fact]
    public void Workers_are_one_per_core_on_the_cpu_and_one_where_this_process_cannot_start_copies_or_on_a_gpu()
    {
        var sweep = new LocalSweep { Spec = "figure1", Scale = "quick", Database = DatabaseAddress.Parse("x.db"), Shatter = ["shatter"] };
        Assert.Equal(Math.Min(Environment.ProcessorCount, 18), sweep.EffectiveWorkers(18));
        Assert.Equal(1, sweep.EffectiveWorkers(1));   // never more than the runs
        Assert.Equal(3, new LocalSweep { Spec = "a", Scale = "s", Database = sweep.Database, Workers = 3 }.EffectiveWorkers(18));
        Assert.Equal(1, new LocalSweep { Spec = "a", Scale = "s", Database = sweep.Database }.EffectiveWorkers(18));   // hosted in a test
        Assert.Equal(1, new LocalSweep { Spec = "a", Scale = "s", Database = sweep.Database, Shatter = ["shatter"], Device = "cuda" }.EffectiveWorkers(18));
        Assert.Equal(1, new LocalSweep { Spec = "a", Scale = "s", Database = sweep.Database, Shatter = ["shatter"], IsWorker = true, Workers = 4 }.EffectiveWorkers(18));
    }

    [Fact]
    public void A_sweep_killed_with_sigkill_leaves_no_worker_process_and_its_worker_hands_its_run_back()
    {
        var (sweep, children) = StartTwoWorkers();
        using (sweep)
        {
            Assert.NotEmpty(children);
            var parentWorker = $":{sweep.Id}:";
            sweep.KillParentOnly();   // SIGKILL: the parent runs no handler at all
            foreach (var child in children)
                Assert.True(Ends(child, TimeSpan.FromMinutes(2)), $"worker process {child} still runs after its parent was killed");
            using var store = SqliteStore.Open(Db);
            var runs = store.Runs("long", "s");
            // the worker's run is back in the queue; only the parent's (it could not hand it back) is still marked running,
            // and the next sweep takes it over at once (its process is gone)
            Assert.DoesNotContain(runs, r => r.Status == RunStatus.Running && !r.Worker!.Contains(parentWorker, StringComparison.Ordinal));
            Assert.Equal(3, runs.Count(r => r.Status == RunStatus.Queued));
            Assert.DoesNotContain(runs, r => r.Status == RunStatus.Failed);
        }
    }

    [Fact]
    public void A_sweep_stopped_with_sigterm_stops_its_workers_and_hands_every_run_back()
    {
        var (sweep, children) = StartTwoWorkers();
        using (sweep)
        {
            Assert.NotEmpty(children);
            sweep.Terminate();
            Assert.Equal(130, sweep.Wait(TimeSpan.FromMinutes(3)));
            foreach (var child in children)
                Assert.True(Ends(child, TimeSpan.FromMinutes(1)), $"worker process {child} still runs after its parent was stopped");
            using var store = SqliteStore.Open(Db);
            var runs = store.Runs("long", "s");
            Assert.All(runs, r => Assert.Equal(RunStatus.Queued, r.Status));   // nothing running, nothing failed, nothing done
            Assert.Equal(2, runs.Count(r => r.Attempts == 1));   // the two that trained, each interrupted once
            Assert.Contains("interrupted", sweep.Output);
        }
    }
}
