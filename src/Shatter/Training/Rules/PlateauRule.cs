namespace Shatter.Training.Rules;

/// <summary>
/// Reduce on plateau: after <see cref="TrainConfig.PlateauEpochsResolved"/> epochs without a new best training score
/// (and before the fit) the rate is cut <see cref="Trainer.PlateauFactor"/>-fold, at most <see cref="Trainer.PlateauDrops"/>
/// times. The rate in force is the schedule's × <see cref="Scale"/>.
/// </summary>
sealed class PlateauRule(int plateauEpochs)
{
    public int Drops { get; private set; }
    public int LastDropEpoch { get; private set; }
    readonly List<int> dropEpochs = [];

    /// <summary>Epochs after which the rate was cut.</summary>
    public IReadOnlyList<int> DropEpochs => dropEpochs;

    public double Scale => Math.Pow(Trainer.PlateauFactor, Drops);

    public void Observe(EpochMetrics row, bool fitted, int bestTrainEpoch)
    {
        if (plateauEpochs > 0 && row.Epoch > 0 && Drops < Trainer.PlateauDrops && !fitted && row.Epoch - Math.Max(bestTrainEpoch, LastDropEpoch) >= plateauEpochs)
        {
            Drops++;
            LastDropEpoch = row.Epoch;
            dropEpochs.Add(row.Epoch);
        }
    }

    public CheckpointState SaveTo(CheckpointState state) => state with { PlateauDrops = Drops, LastPlateauEpoch = LastDropEpoch, PlateauDropEpochs = [.. dropEpochs] };

    public void RestoreFrom(CheckpointState state)
    {
        (Drops, LastDropEpoch) = (state.PlateauDrops, state.LastPlateauEpoch);
        dropEpochs.Clear();
        dropEpochs.AddRange(state.PlateauDropEpochs);
    }
}
