using System.ComponentModel;
using System.Globalization;
using System.Runtime.InteropServices;
using Shatter.Experiments;
using Shatter.Results;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Shatter.Cli.Commands;

/// <summary>
/// <c>shatter worker</c>: serves a shared run queue (PostgreSQL, or a SQLite file on one machine). It claims runs
/// one at a time under a lease that it renews while it trains, writes their folders under --runs-dir, resumes a run
/// whose earlier holder died (lease expired) from its last checkpoint, and exits 0 when nothing is left: no run
/// queued, none running elsewhere (it waits for those, since their lease may expire). Ctrl+C or SIGTERM (Slurm's
/// time limit) stops at the next step boundary and hands the run back to the queue.
/// </summary>
public sealed class WorkerCommand(IAnsiConsole console) : Command<WorkerCommand.Settings>
{
    public sealed class Settings : RunSettings
    {
        [CommandOption("--spec <NAME>")]
        [Description("Serve only this spec's runs (default: every spec in the queue).")]
        public string? Spec { get; init; }

        [CommandOption("--scale <SCALE>")]
        [Description("Serve only runs of this scale (default: any).")]
        public string? Scale { get; init; }

        [CommandOption("--max-runs <N>")]
        [Description("Leave after N runs (default: when the queue is empty).")]
        public int? MaxRuns { get; init; }

        [CommandOption("--runs-dir <DIR>")]
        [Description("Where run folders go; with workers on several machines, a folder all of them see (default: runs/ beside a SQLite file, results/runs with PostgreSQL).")]
        public string? RunsDir { get; init; }

        [CommandOption("--lease <SECONDS>")]
        [Description("How long a claim lives without a heartbeat before another worker may take the run over (default 120; heartbeats every third of it, at most every 10 s).")]
        public double Lease { get; init; } = 120;

        [CommandOption("--executor <EXECUTOR>", IsHidden = true)]
        [Description("trainer (default), or none: train nothing, only claim and complete runs (the queue benchmark, bench/queue.sh).")]
        public string Executor { get; init; } = "trainer";

        public override ValidationResult Validate()
        {
            if (Executor is not ("trainer" or "none")) return ValidationResult.Error($"unknown executor '{Executor}'; use trainer or none.");
            if (MaxRuns is < 1) return ValidationResult.Error($"--max-runs must be at least 1, not {MaxRuns}.");
            if (!(Lease >= 1)) return ValidationResult.Error($"--lease must be at least 1 second, not {Lease.ToString(CultureInfo.InvariantCulture)}.");
            return base.Validate();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var address = DatabaseAddress.Resolve(settings.Db);
        if (!address.IsPostgres && !File.Exists(address.File))   // a worker creates no database: it serves one that runs were enqueued in
            throw new ShatterException($"no results database at {address.File}; enqueue runs first with 'shatter sweep SPEC --db {address.File} --enqueue' (or give --db the queue's URL).");
        using var store = Stores.Open(address);
        var runs = store.Runs(settings.Spec, settings.Scale);
        if (runs.Count == 0)
        {
            var what = settings.Spec is null ? "no runs" : $"no runs of spec '{settings.Spec}'" + (settings.Scale is null ? "" : $" at scale '{settings.Scale}'");
            throw new ShatterException($"the queue at {address.Display} holds {what}; enqueue them first with 'shatter sweep {settings.Spec ?? "SPEC"} --db {address.Display} --enqueue'.");
        }
        var lease = TimeSpan.FromSeconds(settings.Lease);
        var resultsDir = SweepFolders.Results(address, settings.RunsDir);
        var worker = WorkerId.Current;
        var options = new SweepOptions
        {
            ResultsDir = resultsDir, RunsDir = settings.RunsDir is null ? null : Path.GetFullPath(settings.RunsDir), Worker = worker,
            Retries = settings.Retries, WaitForOthers = true, ReleaseInterrupted = true, Stale = lease,
            HeartbeatInterval = TimeSpan.FromSeconds(Math.Min(10, settings.Lease / 3)),
            PollInterval = TimeSpan.FromSeconds(Math.Clamp(settings.Lease / 4, 0.5, 10)),
            Log = line => Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {line}"),
            DataDir = settings.DataDir, Device = settings.Device, Threads = settings.Threads,
        };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cts.Cancel(); };
        Console.CancelKeyPress += onCancel;
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; cts.Cancel(); });
        try
        {
            var w = console.Profile.Out.Writer;
            w.WriteLine($"{DateTime.UtcNow:HH:mm:ss} worker {worker} serving {(settings.Spec ?? "every spec")} from {address.Display}, run folders in {options.RunDir("")}");
            SweepOutcome outcome;
            try
            {
                outcome = new Sweep(store, settings.Executor == "none" ? new QueueProbeExecutor() : new TrainerExecutor([.. Shatter.Pipelines.TrainingProbes.Makers]), options)
                    .Serve(settings.Spec, settings.Scale, settings.MaxRuns, new PlainSweepLog(console), cts.Token);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine($"error: worker {worker} interrupted; its run went back to the queue, where the next worker resumes it from its checkpoint.");
                return 130;
            }
            w.WriteLine($"worker {worker}: ran {outcome.RanHere} runs here; the queue{(settings.Spec is null ? "" : $" of {settings.Spec}")} has {outcome.Done} of {outcome.Total} runs done, {outcome.Failed} failed.");
            return 0;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
