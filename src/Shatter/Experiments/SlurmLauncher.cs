using System.Diagnostics;
using System.Globalization;
using Shatter.Results;

namespace Shatter.Experiments;

/// <summary>
/// A sweep on Slurm (<c>shatter sweep --launcher slurm</c>): the runs go into the shared PostgreSQL queue, then one sbatch
/// job array whose every task is a <c>shatter worker</c> (<see cref="SlurmScript"/>) serves them. <see cref="Script"/>
/// only writes the script (<c>--dry</c>); <see cref="Launch"/> enqueues, writes it to &lt;results&gt;/slurm/ and submits it.
/// </summary>
public sealed class SlurmLauncher
{
    public required ExperimentSpec Spec { get; init; }
    public required string Scale { get; init; }
    /// <summary>The shared queue: a PostgreSQL database every node reaches.</summary>
    public required DatabaseAddress Database { get; init; }
    /// <summary>The words that start shatter on a node (a path every node sees).</summary>
    public required IReadOnlyList<string> Shatter { get; init; }
    /// <summary>Array tasks; null: one per run, at most 16.</summary>
    public int? Workers { get; init; }
    public string? RunsDir { get; init; }
    public string? Dataset { get; init; }
    public string? DataDir { get; init; }
    public string? Device { get; init; }
    public int? Threads { get; init; }
    public int Retries { get; init; } = 2;
    public string? Partition { get; init; }
    public string? Gres { get; init; }
    public string? Time { get; init; }

    IReadOnlyList<SpecSetting>? Overrides => Dataset is null ? null : [new SpecSetting("dataset", [Dataset.ToLowerInvariant()], 0)];

    /// <summary>The runs, validated (a bad spec fails before anything is enqueued or written).</summary>
    public IReadOnlyList<PlannedRun> Runs() => Spec.Expand(Scale, Overrides);

    public string ResultsDir => SweepFolders.Results(Database, RunsDir);
    public string SlurmDir => Path.Combine(ResultsDir, "slurm");

    /// <summary>The sbatch script: one array task per worker, each a 'shatter worker' on the queue.</summary>
    public SlurmScript Script()
    {
        if (!Database.IsPostgres)
            throw new ShatterException($"--launcher slurm needs a database every node reaches: give --db postgresql://user@host:port/database (a SQLite file such as {Database.Display} cannot be shared between machines).");
        int runs = Runs().Count;
        var options = new List<string> { "--db", Database.Display, "--spec", Spec.Name, "--scale", Scale,
            "--runs-dir", Path.GetFullPath(RunsDir ?? Path.Combine(ResultsDir, "runs")), "--retries", Retries.ToString(CultureInfo.InvariantCulture) };
        void Option(string name, string? value)
        {
            if (value is null) return;
            options.Add(name);
            options.Add(value);
        }
        Option("--device", Device);
        Option("--data-dir", DataDir is null ? null : Path.GetFullPath(DataDir));
        Option("--threads", Threads?.ToString(CultureInfo.InvariantCulture));
        return new SlurmScript
        {
            JobName = $"shatter-{Spec.Name}-{Scale}", Workers = Workers ?? Math.Min(runs, 16), Shatter = Shatter, WorkerOptions = options,
            OutputPattern = Path.Combine(SlurmDir, "%x-%A_%a.out"), Partition = Partition, Gres = Gres, Time = Time,
        };
    }

    /// <summary>What <see cref="Launch"/> did: the queue's runs of the spec, the failed ones put back, the script and the job.</summary>
    public sealed record Launched(IReadOnlyList<RunRecord> Runs, int Requeued, SlurmScript Script, string ScriptFile, string Job);

    /// <summary>
    /// Enqueues the runs (idempotent; failed runs go back to the queue), writes the script and submits it. Nothing is
    /// enqueued or written when the spec is bad or sbatch is missing.
    /// </summary>
    public Launched Launch()
    {
        var script = Script();
        if (!OnPath("sbatch"))   // before anything is enqueued or written
            throw new ShatterException("sbatch is not on PATH; run this on a Slurm login node, or add --dry to print the script.");
        var (runs, requeued) = SweepQueue.Enqueue(Database, Spec, Scale, Runs());
        Directory.CreateDirectory(SlurmDir);
        var file = Path.Combine(SlurmDir, $"{script.JobName}.sbatch");
        AtomicFile.WriteAllText(file, script.Text());
        return new Launched(runs, requeued, script, file, Submit(file));
    }

    static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Any(d => File.Exists(Path.Combine(d, tool)));

    /// <summary>sbatch --parsable FILE; the job id it prints.</summary>
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
            return JobId(output.Result);
        }
    }

    /// <summary>The job id in what <c>sbatch --parsable</c> printed: "123" or "123;cluster" on its last line.</summary>
    public static string JobId(string output)
    {
        var id = output.Trim().Split('\n').Last().Split(';')[0].Trim();
        if (id.Length == 0 || !id.All(char.IsAsciiDigit))
            throw new ShatterException($"sbatch printed no job id ('{output.Trim()}'); check the job with squeue.");
        return id;
    }
}
