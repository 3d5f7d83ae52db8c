using System.ComponentModel;
using Shatter.Cli.Infrastructure;
using Shatter.Experiments;
using Shatter.Results;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Shatter.Cli.Commands;

/// <summary>
/// <c>shatter sweep SPEC</c>: runs what is not yet done of a spec at a scale into a results database.
/// Idempotent: finished runs are skipped, interrupted and failed ones resumed. With <c>--enqueue</c> it only
/// registers the runs in the (shared) queue for <c>shatter worker</c>s; with <c>--launcher slurm</c> it also
/// submits a job array of workers (docs/scale-out.md).
/// </summary>
public sealed class SweepCommand(IAnsiConsole console) : Command<SweepCommand.Settings>
{
    public sealed class Settings : SweepSettings
    {
        [CommandArgument(0, "<spec>")]
        [Description("A YAML spec file, or a built-in spec: figure1, table1, figure2.")]
        public string Spec { get; init; } = "";

        [CommandOption("--runs-dir <DIR>")]
        [Description("Where run folders go (default: runs/ beside a SQLite file, results/runs with PostgreSQL); with workers on several machines, a folder they all see.")]
        public string? RunsDir { get; init; }

        [CommandOption("--enqueue")]
        [Description("Only register the spec's runs in the database's queue (idempotent; failed runs go back to the queue), for 'shatter worker' to run.")]
        public bool Enqueue { get; init; }

        [CommandOption("--launcher <LAUNCHER>")]
        [Description("slurm: enqueue, then submit an sbatch job array of --workers tasks, each a 'shatter worker' (needs a PostgreSQL --db).")]
        public string? Launcher { get; init; }

        [CommandOption("--partition <P>")]
        [Description("Slurm partition of the job array.")]
        public string? Partition { get; init; }

        [CommandOption("--gres <GRES>")]
        [Description("Slurm generic resources per task, e.g. gpu:1.")]
        public string? Gres { get; init; }

        [CommandOption("--time <LIMIT>")]
        [Description("Slurm time limit per task, e.g. 24:00:00.")]
        public string? Time { get; init; }

        [CommandOption("--dry")]
        [Description("With --launcher slurm: print the sbatch script, submit nothing and leave the database alone.")]
        public bool Dry { get; init; }

        [CommandOption("--worker", IsHidden = true)]
        [Description("Run as an extra worker of another sweep: no display, no waiting for other workers.")]
        public bool Worker { get; init; }

        public override ValidationResult Validate()
        {
            if (Launcher is not null && Launcher != "slurm") return ValidationResult.Error($"unknown launcher '{Launcher}'; use slurm (or leave --launcher out to run here).");
            if (Launcher is null && (Partition ?? Gres ?? Time) is not null) return ValidationResult.Error("--partition, --gres and --time are Slurm options; add --launcher slurm.");
            if (Launcher is null && Dry) return ValidationResult.Error("--dry prints the Slurm script; add --launcher slurm.");
            return base.Validate();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var address = DatabaseAddress.Resolve(settings.Db);
        if (settings.Launcher == "slurm") return Slurm(settings, address);
        if (settings.Enqueue)
        {
            var spec = BuiltInSpecs.Resolve(settings.Spec);
            spec.CheckSize(settings.Scale, settings.Yes);
            var (runs, requeued) = SweepQueue.Enqueue(address, spec, settings.Scale, spec.Expand(settings.Scale, Overrides(settings)), console.Profile.Out.Writer.WriteLine);
            SayQueued(spec.Name, settings.Scale, address, runs, requeued);
            return 0;
        }
        // a worker process of another sweep dies with its parent; one whose parent is already gone has nothing to do
        if (settings.Worker && !WorkerProcesses.DieWithParent()) return 130;
        var outcome = SweepDriver.Run(console, new LocalSweep
        {
            Spec = settings.Spec, Scale = settings.Scale, Database = address, RunsDir = settings.RunsDir, Dataset = settings.Dataset,
            DataDir = settings.DataDir, Device = settings.Device, Threads = settings.Threads, Retries = settings.Retries, FailFast = settings.FailFast,
            Workers = settings.Workers, Shatter = ShatterExecutable.CopyOfThisProcess(), IsWorker = settings.Worker, Log = SweepDriver.Log,
            Yes = settings.Yes, Say = console.Profile.Out.Writer.WriteLine, Callbacks = Shatter.Pipelines.TrainingProbes.Makers,
        }, cancellationToken);
        console.Profile.Out.Writer.WriteLine(
            $"{settings.Spec} ({settings.Scale}): {outcome.Done} of {outcome.Total} runs done, {outcome.Failed} failed, {outcome.Retried} retried, {outcome.RanHere} run by this process; results in {address.Display}");
        return outcome.Failed > 0 || outcome.Done < outcome.Total && !settings.Worker ? 1 : 0;
    }

    static IReadOnlyList<SpecSetting>? Overrides(Settings settings) =>
        settings.Dataset is null ? null : [new SpecSetting("dataset", [settings.Dataset], 0)];

    void SayQueued(string spec, string scale, DatabaseAddress address, IReadOnlyList<RunRecord> runs, int requeued) =>
        console.Profile.Out.Writer.WriteLine(
            $"{spec} ({scale}): {runs.Count} runs in the queue of {address.Display}: {runs.Count(r => r.Done)} done, " +
            $"{runs.Count(r => r.Status == RunStatus.Running)} running, {runs.Count(r => r.Status == RunStatus.Queued)} pending" +
            (requeued > 0 ? $" ({requeued} failed put back)" : "") +
            $"; serve them with 'shatter worker --db {address.Display} --spec {spec}'.");

    int Slurm(Settings settings, DatabaseAddress address)
    {
        var launcher = new SlurmLauncher
        {
            Spec = BuiltInSpecs.Resolve(settings.Spec), Scale = settings.Scale, Database = address, Shatter = ShatterExecutable.Words(),
            Workers = settings.Workers, RunsDir = settings.RunsDir, Dataset = settings.Dataset, DataDir = settings.DataDir, Device = settings.Device,
            Threads = settings.Threads, Retries = settings.Retries, Partition = settings.Partition, Gres = settings.Gres, Time = settings.Time,
        };
        var w = console.Profile.Out.Writer;
        if (settings.Dry)
        {
            w.Write(launcher.Script().Text());
            w.WriteLine($"# --dry: nothing submitted, the database untouched; before submitting this by hand, enqueue the runs: shatter sweep {settings.Spec} --scale {settings.Scale} --db {address.Display} --enqueue");
            return 0;
        }
        var launched = launcher.Launch();
        SayQueued(launcher.Spec.Name, settings.Scale, address, launched.Runs, launched.Requeued);
        w.WriteLine($"submitted Slurm job {launched.Job}: {launched.Script.Workers} array tasks, each 'shatter worker' (script {launched.ScriptFile}, output in {launcher.SlurmDir}); follow it with 'shatter status --db {address.Display}'.");
        return 0;
    }
}
