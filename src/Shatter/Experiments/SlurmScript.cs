using System.Globalization;
using System.Text;

namespace Shatter.Experiments;

/// <summary>
/// The sbatch script of a sweep on Slurm: one job array (<c>--array=0-(workers-1)</c>) whose every task runs
/// <c>shatter worker</c> against the shared PostgreSQL queue; the tasks share the runs, and any task may take over
/// the run of a task that died once its lease expires. No password is written: the tasks read it from
/// <c>PGPASSWORD</c> (sbatch exports the submitting environment) or <c>~/.pgpass</c> on the nodes.
/// </summary>
public sealed record SlurmScript
{
    public required string JobName { get; init; }
    public required int Workers { get; init; }
    /// <summary>The words that start this shatter on a node (the executable, or dotnet and the dll), on a shared path.</summary>
    public required IReadOnlyList<string> Shatter { get; init; }
    /// <summary>The worker's options (--db, --spec, --scale, --runs-dir, …), as words.</summary>
    public required IReadOnlyList<string> WorkerOptions { get; init; }
    /// <summary>Where each task's output goes (%A job, %a task).</summary>
    public required string OutputPattern { get; init; }
    public string? Partition { get; init; }
    public string? Gres { get; init; }
    public string? Time { get; init; }

    public string Text()
    {
        var b = new StringBuilder();
        b.Append("#!/bin/bash\n");
        b.Append(CultureInfo.InvariantCulture, $"#SBATCH --job-name={JobName}\n");
        b.Append(CultureInfo.InvariantCulture, $"#SBATCH --array=0-{Workers - 1}\n");
        b.Append(CultureInfo.InvariantCulture, $"#SBATCH --output={OutputPattern}\n");
        if (Partition is not null) b.Append(CultureInfo.InvariantCulture, $"#SBATCH --partition={Partition}\n");
        if (Gres is not null) b.Append(CultureInfo.InvariantCulture, $"#SBATCH --gres={Gres}\n");
        if (Time is not null) b.Append(CultureInfo.InvariantCulture, $"#SBATCH --time={Time}\n");
        b.Append("# Every task is one 'shatter worker': it claims runs from the shared queue until none is left, renews its\n");
        b.Append("# lease while it trains, and resumes a run whose earlier holder died from that run's last checkpoint.\n");
        b.Append("# Slurm's SIGTERM at the time limit hands the current run back to the queue.\n");
        b.Append("exec ").Append(string.Join(' ', Shatter.Concat(["worker"]).Concat(WorkerOptions).Select(Quote))).Append('\n');
        return b.ToString();
    }

    /// <summary>A word for bash: as is when it is plain, else in single quotes.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@,+%".Contains(c)) ? word : "'" + word.Replace("'", "'\\''") + "'";
}
