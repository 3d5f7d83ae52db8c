using System.Globalization;

namespace Shatter.Training.Rules;

/// <summary>
/// An until-fit run ends as "stalled" when its best training score has not risen for <see cref="Trainer.StallEpochs"/>
/// epochs, or while the schedule's rate fell <see cref="Trainer.StallRateDrop"/>× below the one at the last best. It reads
/// the training score as recorded (the model's over the whole set, or a screened epoch's running one); the rates it
/// compares are the schedule's (plateau cuts are counted in epochs, by <see cref="PlateauRule"/>).
/// </summary>
sealed class StallRule(TrainConfig config) : IStoppingRule
{
    public double BestTrain { get; private set; } = -1;
    public int BestTrainEpoch { get; private set; }
    /// <summary>The schedule's rate at the best row (the row's rate without the plateau cuts in force then).</summary>
    public double BestTrainRate { get; private set; }

    public string Reason => "stalled";

    /// <param name="plateauScale">The plateau cuts' factor in force for this row.</param>
    public void Observe(EpochMetrics row, double plateauScale)
    {
        // the first finite score always counts: a regression's R² can start below -1
        if (double.IsFinite(row.TrainAccuracy) && (row.Epoch == 0 || row.TrainAccuracy > BestTrain))
            (BestTrain, BestTrainEpoch, BestTrainRate) = (row.TrainAccuracy, row.Epoch, row.LearningRate / plateauScale);
    }

    public bool ShouldStop(RunProgress progress) =>
        config.UntilFit && Trainer.Stalled(progress.Epoch, BestTrainEpoch, BestTrainRate, Trainer.LearningRateAt(config, progress.Samples));

    /// <summary>The summary's sentence for a stalled run.</summary>
    public string Notice(TaskScore score, EpochMetrics last, int plateauCuts) => string.Create(CultureInfo.InvariantCulture,
        $"training {score.Name} stalled at {score.Show(BestTrain)} (no gain since epoch {BestTrainEpoch}; learning rate now {last.LearningRate:G3}); the run stopped unfitted: {Advice(plateauCuts)}.");

    /// <summary>What to do about a stall: a constant rate if it decayed, else a lower target (near-identical images with different labels can make 100% unreachable).</summary>
    string Advice(int cuts) =>
        (cuts > 0 ? string.Create(CultureInfo.InvariantCulture, $"the rate was already cut {Math.Round(1 / Math.Pow(Trainer.PlateauFactor, cuts))}-fold at its plateaus, so ") : "")
        + (Models.ModelRegistry.IsAutoencoder(config.Model) // a reconstruction's fit is its MSE target, and a stuck autoencoder often lost its units to too large a step
            ? "train at a lower rate (--lr) or accept a larger --reconstruction-target"
            : config.Schedule == LearningRateSchedule.Constant || config.LearningRateDecay == 1
            ? "accept a lower target (--fit-target 0.999); near-identical training images with different labels can make 100% unreachable"
            : "train with a constant rate (--lr-decay 1) or accept a lower target (--fit-target 0.999)");

    public CheckpointState SaveTo(CheckpointState state) =>
        state with { BestTrainAccuracy = BestTrain, BestTrainEpoch = BestTrainEpoch, BestTrainLearningRate = BestTrainRate };

    public void RestoreFrom(CheckpointState state) =>
        (BestTrain, BestTrainEpoch, BestTrainRate) = (state.BestTrainAccuracy, state.BestTrainEpoch, state.BestTrainLearningRate);
}
