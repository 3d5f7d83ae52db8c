using Shatter.Training.Rules;

namespace Shatter.Training;

/// <summary>
/// Where a run stands, and its checkpoint: the counters (the epoch of the last row, steps, samples, wall seconds of earlier
/// processes), the last row, the screened rows, the rules' state and the task's record. <see cref="Snapshot"/> is a
/// checkpoint of it as it is; <see cref="RestoreFrom"/> takes one back. A checkpoint inside an epoch is a snapshot taken
/// before that epoch's row: its epoch, last row, rules and record are those of the last epoch's end, its steps, samples and
/// generators those of the exact step.
/// </summary>
sealed class TrainingState(StoppingRules rules, ITrainingTask task, string identity)
{
    /// <summary>The epoch of the last row (0: at initialisation; the partial epoch after a stop inside one).</summary>
    public int Epoch { get; set; }
    public long Step { get; set; }
    /// <summary>Training samples of every step so far (the rate schedule's clock).</summary>
    public long Samples { get; set; }
    public EpochMetrics? Last { get; set; }
    /// <summary>Rows whose training numbers are running ones (profile.json's screened_epochs), over the whole run.</summary>
    public int ScreenedEpochs { get; set; }
    /// <summary>Wall seconds of the epoch loops of earlier processes of this run.</summary>
    public double ElapsedBefore { get; private set; }
    /// <summary>Batches of epoch <see cref="Epoch"/> + 1 the checkpoint resumed from had taken (0: it was at an epoch's end).</summary>
    public int BatchesIntoEpoch { get; set; }
    /// <summary>The losses of those batches' steps (empty at an epoch's end).</summary>
    public float[] EpochLossesBefore { get; set; } = [];

    public RunProgress Progress => new(Epoch, Step, Samples);

    /// <param name="epochLosses">Inside an epoch: the losses of its steps so far.</param>
    public CheckpointState Snapshot(int batchesIntoEpoch, float[]? epochLosses, double elapsedSeconds) => task.SaveTo(rules.SaveTo(new CheckpointState
    {
        Epoch = Epoch, Step = Step, ElapsedSeconds = elapsedSeconds, SamplesProcessed = Samples, Last = Last, ConfigJson = identity,
        BatchesIntoEpoch = batchesIntoEpoch, ScreenedEpochs = ScreenedEpochs, EpochLosses = batchesIntoEpoch > 0 ? epochLosses : null,
    }));

    public void RestoreFrom(CheckpointState state)
    {
        (Epoch, Step, Samples, Last, ScreenedEpochs) = (state.Epoch, state.Step, state.SamplesProcessed, state.Last, state.ScreenedEpochs);
        (ElapsedBefore, BatchesIntoEpoch, EpochLossesBefore) = (state.ElapsedSeconds, state.BatchesIntoEpoch, state.EpochLosses ?? []);
        rules.RestoreFrom(state);
        task.RestoreFrom(state);
    }
}
