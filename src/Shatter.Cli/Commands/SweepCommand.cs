using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
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

        [CommandOption("--db <DB>")]
        [Description("The results database: a SQLite file (default $SHATTER_DB, else results/shatter.db; run folders go beside it, in runs/<hash>/) or postgresql://user@host:port/database (password from PGPASSWORD or ~/.pgpass).")]
        public string? Db { get; init; }

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
            Enqueue(settings, address);
            return 0;
        }
        var outcome = SweepDriver.Run(console, settings.Spec, settings, address.Display, settings.Worker, cancellationToken, settings.RunsDir);
        console.Profile.Out.Writer.WriteLine(
            $"{settings.Spec} ({settings.Scale}): {outcome.Done} of {outcome.Total} runs done, {outcome.Failed} failed, {outcome.Retried} retried, {outcome.RanHere} run by this process; results in {address.Display}");
        return outcome.Failed > 0 || outcome.Done < outcome.Total && !settings.Worker ? 1 : 0;
    }

    (ExperimentSpec Spec, IReadOnlyList<PlannedRun> Runs) Plan(Settings settings)
    {
        var spec = BuiltInSpecs.Resolve(settings.Spec);
        spec.CheckSize(settings.Scale, settings.Yes);
        IReadOnlyList<SpecSetting>? overrides = settings.Dataset is null ? null : [new SpecSetting("dataset", [settings.Dataset.ToLowerInvariant()], 0)];
        return (spec, spec.Expand(settings.Scale, overrides));
    }

    /// <summary>Registers the spec's runs in the queue (idempotent) and puts its failed runs back; runs nothing.</summary>
    ExperimentSpec Enqueue(Settings settings, DatabaseAddress address)
    {
        var (spec, planned) = Plan(settings);
        using var store = Stores.Open(address);
        SweepDriver.Register(console, store, spec.Name, settings.Scale, planned);
        store.SaveReportHints(spec.Name, spec.Report);
        int requeued = store.Requeue(spec.Name, settings.Scale);
        var runs = store.Runs(spec.Name, settings.Scale);
        console.Profile.Out.Writer.WriteLine(
            $"{spec.Name} ({settings.Scale}): {runs.Count} runs in the queue of {address.Display}: {runs.Count(r => r.Done)} done, " +
            $"{runs.Count(r => r.Status == RunStatus.Running)} running, {runs.Count(r => r.Status == RunStatus.Queued)} pending" +
            (requeued > 0 ? $" ({requeued} failed put back)" : "") +
            $"; serve them with 'shatter worker --db {address.Display} --spec {spec.Name}'.");
        return spec;
    }

    int Slurm(Settings settings, DatabaseAddress address)
    {
        if (!address.IsPostgres)
            throw new ShatterException($"--launcher slurm needs a database every node reaches: give --db postgresql://user@host:port/database (a SQLite file such as {address.Display} cannot be shared between machines).");
        var (spec, planned) = Plan(settings);
        int workers = settings.Workers ?? Math.Min(planned.Count, 16);
        var resultsDir = SweepDriver.ResultsFolder(address, settings.RunsDir);
        var runsDir = Path.GetFullPath(settings.RunsDir ?? Path.Combine(resultsDir, "runs"));
        var slurmDir = Path.Combine(resultsDir, "slurm");
        var options = new List<string> { "--db", address.Display, "--spec", spec.Name, "--scale", settings.Scale, "--runs-dir", runsDir,
            "--retries", settings.Retries.ToString(CultureInfo.InvariantCulture) };
        void Option(string name, string? value)
        {
            if (value is null) return;
            options.Add(name);
            options.Add(value);
        }
        Option("--device", settings.Device);
        Option("--data-dir", settings.DataDir is null ? null : Path.GetFullPath(settings.DataDir));
        Option("--threads", settings.Threads?.ToString(CultureInfo.InvariantCulture));
        var script = new SlurmScript
        {
            JobName = $"shatter-{spec.Name}-{settings.Scale}", Workers = workers, Shatter = SelfCommand(), WorkerOptions = options,
            OutputPattern = Path.Combine(slurmDir, "%x-%A_%a.out"), Partition = settings.Partition, Gres = settings.Gres, Time = settings.Time,
        };
        var w = console.Profile.Out.Writer;
        if (settings.Dry)
        {
            w.Write(script.Text());
            w.WriteLine($"# --dry: nothing submitted, the database untouched; before submitting this by hand, enqueue the runs: shatter sweep {settings.Spec} --scale {settings.Scale} --db {address.Display} --enqueue");
            return 0;
        }
        var file = Path.Combine(slurmDir, $"{script.JobName}.sbatch");
        if (!OnPath("sbatch"))   // before anything is enqueued or written
            throw new ShatterException("sbatch is not on PATH; run this on a Slurm login node, or add --dry to print the script.");
        Enqueue(settings, address);
        Directory.CreateDirectory(slurmDir);
        AtomicFile.WriteAllText(file, script.Text());
        var job = Submit(file);
        w.WriteLine($"submitted Slurm job {job}: {workers} array tasks, each 'shatter worker' (script {file}, output in {slurmDir}); follow it with 'shatter status --db {address.Display}'.");
        return 0;
    }

    static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Any(d => File.Exists(Path.Combine(d, tool)));

    /// <summary>sbatch --parsable FILE; the job id it prints ("123" or "123;cluster").</summary>
    static string Submit(string file)
    {
        var info = new ProcessStartInfo("sbatch") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("--parsable");
        info.ArgumentList.Add(file);
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new ShatterException($"sbatch is not on PATH; run this on a Slurm login node, or add --dry to print the script (written to {file}).");
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new ShatterException($"sbatch refused the job ({error.Result.Trim().Split('\n')[0].TrimEnd('.')}); fix the Slurm options and rerun (the script is {file}).");
            var id = output.Result.Trim().Split('\n').Last().Split(';')[0].Trim();
            if (id.Length == 0 || !id.All(char.IsAsciiDigit))
                throw new ShatterException($"sbatch printed no job id ('{output.Result.Trim()}'); check the job with squeue.");
            return id;
        }
    }

    /// <summary>
    /// The words that start this shatter: its executable; or dotnet and the CLI dll when it runs through dotnet (or
    /// hosted in another program, such as the tests).
    /// </summary>
    internal static IReadOnlyList<string> SelfCommand()
    {
        var dll = typeof(SweepCommand).Assembly.Location;
        var host = Environment.ProcessPath;
        if (host is not null && Assembly.GetEntryAssembly() == typeof(SweepCommand).Assembly && Path.GetFileNameWithoutExtension(host) != "dotnet")
            return [host];
        return [host is not null && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet", dll];
    }
}
