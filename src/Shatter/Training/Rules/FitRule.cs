namespace Shatter.Training.Rules;

/// <summary>
/// Time to fit: the step and epoch of the first row the task calls fitted (recorded in every run); with --until-fit
/// that row ends the run.
/// </summary>
sealed class FitRule(ITrainingTask task, bool untilFit) : IStoppingRule
{
    public long? StepsToFit { get; private set; }
    public int? EpochsToFit { get; private set; }

    public string Reason => "fit";

    public void Observe(EpochMetrics row)
    {
        if (task.Fitted(row) && StepsToFit is null) (StepsToFit, EpochsToFit) = (row.Step, row.Epoch);
    }

    public bool ShouldStop(RunProgress progress) => untilFit && StepsToFit is not null;

    public CheckpointState SaveTo(CheckpointState state) => state with { StepsToFit = StepsToFit, EpochsToFit = EpochsToFit };

    public void RestoreFrom(CheckpointState state) => (StepsToFit, EpochsToFit) = (state.StepsToFit, state.EpochsToFit);
}
