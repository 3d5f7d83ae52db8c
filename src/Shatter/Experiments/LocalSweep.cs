using System.Globalization;
using Shatter.Results;
using Shatter.Training;

namespace Shatter.Experiments;

/// <summary>
/// A sweep on this machine (<c>shatter sweep</c>, <c>shatter reproduce</c>): opens the store, registers the spec's runs,
/// starts the extra worker processes (<see cref="WorkerProcesses"/>), runs the sweep in this process too, and waits for
/// the workers. Cancelling it (Ctrl+C, SIGTERM) stops at the next step boundary, hands this process's run back to the
/// queue, stops the workers (which hand theirs back) and waits for them; the next sweep resumes every run from its checkpoint.
/// </summary>
public sealed class LocalSweep
{
    /// <summary>A YAML spec file or a built-in spec's name.</summary>
    public required string Spec { get; init; }
    public required string Scale { get; init; }
    public required DatabaseAddress Database { get; init; }
    /// <summary>Where run folders go; null: runs/ beside a SQLite file, results/runs with PostgreSQL.</summary>
    public string? RunsDir { get; init; }
    /// <summary>Replaces the spec's dataset (changes the runs' identities).</summary>
    public string? Dataset { get; init; }
    public string? DataDir { get; init; }
    public string? Device { get; init; }
    /// <summary>libtorch threads per worker; null: the cores divided among the workers.</summary>
    public int? Threads { get; init; }
    public int Retries { get; init; } = 2;
    public bool FailFast { get; init; }
    /// <summary>Worker processes in all (this one included); null: one per core on the CPU, 1 on a GPU, never more than the runs.</summary>
    public int? Workers { get; init; }
    /// <summary>The words that start this shatter, for the worker processes; null: this process cannot start copies of itself (it is hosted in a test), so it runs alone.</summary>
    public IReadOnlyList<string>? Shatter { get; init; }
    /// <summary>This process is one of another sweep's workers: it starts none, does not wait for the others' runs, and shows plain lines.</summary>
    public bool IsWorker { get; init; }
    /// <summary>Where the sweep reports what it cannot show otherwise (a failed heartbeat).</summary>
    public Action<string>? Log { get; init; }
    /// <summary>Register a grid of more than <see cref="ExperimentSpec.LargeGrid"/> runs (<c>--yes</c>); without it such a grid is refused with its size.</summary>
    public bool Yes { get; init; }
    /// <summary>Where the registering of a large grid says how far it got; null: nowhere.</summary>
    public Action<string>? Say { get; init; }
    /// <summary>Makers of the callbacks each run gets (the memorization probe, plugged in from a layer above the trainer).</summary>
    public IReadOnlyList<Func<ITrainCallback>> Callbacks { get; init; } = [];
    /// <summary>How long a stopped sweep waits for its workers to hand their runs back.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(60);

    IReadOnlyList<SpecSetting>? Overrides => Dataset is null ? null : [new SpecSetting("dataset", [Dataset], 0)];

    /// <summary>The worker processes for <paramref name="runs"/> runs (see <see cref="Workers"/>).</summary>
    public int EffectiveWorkers(int runs)
    {
        if (IsWorker) return 1;
        if (Workers is { } w) return w;
        bool cpu = Device is null || Device.Equals("cpu", StringComparison.OrdinalIgnoreCase);
        return Shatter is not null && cpu ? Math.Max(1, Math.Min(Environment.ProcessorCount, runs)) : 1;
    }

    /// <summary>
    /// Runs the sweep. <paramref name="show"/> runs it under a display: it gets the number of workers and the sweep to run
    /// with the listener it shows through (the CLI's progress display or plain lines).
    /// </summary>
    public SweepOutcome Run(Func<int, Func<ISweepListener?, SweepOutcome>, SweepOutcome> show, CancellationToken cancellationToken)
    {
        var spec = BuiltInSpecs.Resolve(Spec);
        spec.CheckSize(Scale, Yes);                   // a grid past the limit is stated and refused before anything starts
        var planned = spec.Expand(Scale, Overrides);  // a bad spec or scale fails before anything starts
        int workers = EffectiveWorkers(planned.Count);
        var resultsDir = SweepFolders.Results(Database, RunsDir);
        var runsDir = RunsDir is null ? null : Path.GetFullPath(RunsDir);
        int threads = Threads ?? (workers > 1 ? Math.Max(1, Environment.ProcessorCount / workers) : 0);
        var options = new SweepOptions
        {
            ResultsDir = resultsDir, FailFast = FailFast, Retries = Retries, WaitForOthers = !IsWorker, Log = Log,
            DataDir = DataDir, Device = Device, Threads = Threads is null && threads == 0 ? null : threads, RunsDir = runsDir,
            ReleaseInterrupted = true,   // a stopped sweep hands its run back to the queue, where any worker resumes it
        };
        using var store = Stores.Open(Database);
        SweepQueue.Register(store, spec.Name, Scale, planned, Say);
        using var children = workers > 1 && Shatter is not null
            ? WorkerProcesses.Start(Shatter, WorkerArguments(threads, runsDir), workers - 1, Path.Combine(resultsDir, "logs"))
            : null;
        try
        {
            var sweep = new Sweep(store, new TrainerExecutor([.. Callbacks]), options);
            var outcome = show(workers, listener => sweep.Run(spec, Scale, listener, cancellationToken, Overrides));
            children?.WaitAll();
            return outcome;
        }
        catch (Exception)
        {
            // stopped (Ctrl+C, SIGTERM) or failed (--fail-fast): the workers hand their runs back too before this returns
            children?.Terminate();
            children?.WaitAll(StopGrace);
            throw;
        }
    }

    /// <summary><c>sweep SPEC … --worker</c>: the options a worker process gets.</summary>
    List<string> WorkerArguments(int threads, string? runsDir)
    {
        var spec = File.Exists(Spec) ? Path.GetFullPath(Spec) : Spec;
        var args = new List<string> { "sweep", spec, "--scale", Scale, "--db", Database.Display, "--worker",
            "--threads", threads.ToString(CultureInfo.InvariantCulture), "--retries", Retries.ToString(CultureInfo.InvariantCulture) };
        void Option(string name, string? value)
        {
            if (value is null) return;
            args.Add(name);
            args.Add(value);
        }
        Option("--dataset", Dataset);
        Option("--data-dir", DataDir);
        Option("--device", Device);
        Option("--runs-dir", runsDir);
        if (FailFast) args.Add("--fail-fast");
        return args;
    }
}
