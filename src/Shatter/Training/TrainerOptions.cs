namespace Shatter.Training;

/// <summary>How <see cref="Trainer.Run(TrainConfig, string, TrainerOptions, CancellationToken)"/> runs a configuration: what it does not change in the results.</summary>
public sealed record TrainerOptions
{
    /// <summary>Continue from the run folder's last checkpoint (a fresh run when it has none).</summary>
    public bool Resume { get; init; }
    /// <summary>Progress display: every few steps and after every evaluation.</summary>
    public ITrainObserver? Observer { get; init; }
    /// <summary>
    /// The clock of the checkpoint cadence (<see cref="Trainer.CheckpointEverySeconds"/>); tests pass one that stands
    /// still or jumps, so which epochs checkpoint does not depend on the machine's speed.
    /// </summary>
    public TimeProvider CheckpointClock { get; init; } = TimeProvider.System;
}
