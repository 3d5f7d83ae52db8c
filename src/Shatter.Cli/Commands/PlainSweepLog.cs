using Shatter.Experiments;
using Shatter.Results;
using Spectre.Console;

namespace Shatter.Cli.Commands;

/// <summary>Log lines for a worker process (its output goes to a log file).</summary>
public sealed class PlainSweepLog(IAnsiConsole console) : ISweepListener
{
    void Log(string line) => console.Profile.Out.Writer.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {line}");
    public void RunStarted(RunRecord run, bool resume, int done, int total) => Log($"[{done}/{total}] {(resume ? "resume" : "start")} {run.Hash} ({Sweep.Describe(run)})");
    public void RunFinished(RunRecord run, Training.TrainSummary? summary, string? error, int done, int total) =>
        Log($"[{done}/{total}] {(summary is null ? $"failed: {error}" : "done")} {run.Hash}");
    public void RunRetrying(RunRecord run, int attempt, string error) => Log($"attempt {attempt} of {run.Hash} failed: {error}; trying again");
    public void Waiting(int elsewhere, int done, int total) { }
    public void OnStep(long step, int epoch, double loss) { }
    public void OnEpoch(Training.EpochMetrics metrics, int maxEpochs) { }
}
