namespace Shatter.Training.Rules;

/// <summary>--epochs: the run ends after this many epochs.</summary>
sealed class EpochLimit(int epochs) : IStoppingRule
{
    public string Reason => "epochs";
    public bool ShouldStop(RunProgress progress) => progress.Epoch >= epochs;
}
