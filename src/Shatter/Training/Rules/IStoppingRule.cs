namespace Shatter.Training.Rules;

/// <summary>A rule that can end a run: asked after every row, in the fixed order of <see cref="StoppingRules"/>; the first that fires names the stop.</summary>
interface IStoppingRule
{
    /// <summary>summary.json's stop_reason when this rule ends the run.</summary>
    string Reason { get; }

    bool ShouldStop(RunProgress progress);
}
