using Shatter.Results;
using Shatter.Training;

namespace Shatter.Experiments;

/// <summary>What a sweep reports as it goes (the CLI draws it as a progress display or log lines).</summary>
public interface ISweepListener : ITrainObserver
{
    /// <summary>This worker took <paramref name="run"/>; <paramref name="done"/> of <paramref name="total"/> runs are done.</summary>
    void RunStarted(RunRecord run, bool resume, int done, int total);
    /// <summary>The run ended: with a summary, or with an error (null summary).</summary>
    void RunFinished(RunRecord run, TrainSummary? summary, string? error, int done, int total);
    /// <summary>Attempt <paramref name="attempt"/> of the run died of <paramref name="error"/>; it is tried again.</summary>
    void RunRetrying(RunRecord run, int attempt, string error) { }
    /// <summary>Nothing left to claim, but <paramref name="elsewhere"/> runs are still running in other workers.</summary>
    void Waiting(int elsewhere, int done, int total);
}
