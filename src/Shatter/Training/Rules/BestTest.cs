namespace Shatter.Training.Rules;

/// <summary>The best test score after epoch 0 and its epoch (summary.json's best_test_*). The first finite score always counts: an R² can start below −1.</summary>
sealed class BestTest
{
    public double Score { get; private set; } = -1;
    public int Epoch { get; private set; }

    public void Observe(EpochMetrics row)
    {
        if (row.Epoch > 0 && double.IsFinite(row.TestAccuracy) && (Epoch == 0 || row.TestAccuracy > Score)) (Score, Epoch) = (row.TestAccuracy, row.Epoch);
    }

    /// <summary>The best score, NaN when no epoch had a finite one (constant regression targets).</summary>
    public double Best => Epoch > 0 ? Score : double.NaN;

    public CheckpointState SaveTo(CheckpointState state) => state with { BestTestAccuracy = Score, BestTestEpoch = Epoch };

    public void RestoreFrom(CheckpointState state) => (Score, Epoch) = (state.BestTestAccuracy, state.BestTestEpoch);
}
