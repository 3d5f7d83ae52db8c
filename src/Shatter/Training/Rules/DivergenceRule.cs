using System.Globalization;

namespace Shatter.Training.Rules;

/// <summary>A non-finite loss — a step's, or the training set's at an evaluation — ends the run as "diverged" (its last finite checkpoint is kept).</summary>
sealed class DivergenceRule : IStoppingRule
{
    /// <summary>Where the loss first became non-finite.</summary>
    public sealed record Divergence(int Epoch, long Step, double LearningRate, double Loss)
    {
        public string Sentence() => string.Create(CultureInfo.InvariantCulture,
            $"the training loss became {(double.IsNaN(Loss) ? "NaN" : "infinite")} at step {Step} of epoch {Epoch} (lr {LearningRate:G4}); lower --lr.");
    }

    public Divergence? Found { get; private set; }

    public string Reason => "diverged";

    /// <summary>The first non-finite step loss of an epoch's steps (firstStep, firstStep + 1, …).</summary>
    public void CheckSteps(int epoch, long firstStep, IReadOnlyList<double> rates, float[] losses)
    {
        int bad = Array.FindIndex(losses, l => !float.IsFinite(l));
        if (Found is null && bad >= 0) Found = new Divergence(epoch, firstStep + bad, rates[bad], losses[bad]);
    }

    public void CheckRow(EpochMetrics row)
    {
        if (Found is null && !double.IsFinite(row.TrainLoss)) Found = new Divergence(row.Epoch, row.Step, row.LearningRate, row.TrainLoss);
    }

    public bool ShouldStop(RunProgress progress) => Found is not null;
}
