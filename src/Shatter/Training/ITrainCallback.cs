namespace Shatter.Training;

/// <summary>
/// Plugs into a run from outside the trainer (PyTorch Lightning's callbacks): writers and probes that watch training.
/// The trainer calls its callbacks in order — those of <see cref="TrainerOptions.Callbacks"/>, then its own writers of
/// the run folder, then the progress <see cref="ITrainObserver"/> — on the thread that trains. A callback must not
/// change what the run learns: it may read the model, in its own dispose scope and with its own generators. A probe
/// whose time is not training time runs inside <see cref="TrainingContext.OffTheClock"/>.
/// </summary>
public interface ITrainCallback
{
    /// <summary>Once, before this process's first row (epoch 0 of a fresh run; a resumed run's rows up to its checkpoint are on disk).</summary>
    void OnRunStart(TrainingContext run) { }

    /// <summary>After an epoch's steps (or this process's part of them): the first step's number, the rate and the loss of each.</summary>
    void OnSteps(TrainingContext run, long firstStep, int epoch, IReadOnlyList<double> rates, float[] losses) { }

    /// <summary>
    /// After every evaluation: epoch 0, each epoch, and a --max-steps stop inside an epoch (<paramref name="complete"/>
    /// false: the row of a partial epoch, which a resumed run replaces).
    /// </summary>
    void OnEpoch(TrainingContext run, EpochMetrics row, bool complete) { }

    /// <summary>Once, when the loop has ended and the final checkpoint is written, before summary.json (whose writing ends the run).</summary>
    void OnRunEnd(TrainingContext run) { }
}
