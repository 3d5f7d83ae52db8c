namespace Shatter.Training.Rules;

/// <summary>--max-steps: the run ends at this many optimisation steps, at an epoch's end or inside an epoch (0: no limit).</summary>
sealed class StepLimit(long maxSteps) : IStoppingRule
{
    public string Reason => "max-steps";

    /// <summary>Whether no further step may be taken.</summary>
    public bool Reached(long step) => maxSteps > 0 && step >= maxSteps;

    public bool ShouldStop(RunProgress progress) => Reached(progress.Step);
}
