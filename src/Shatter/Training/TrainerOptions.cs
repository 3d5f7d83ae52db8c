using static TorchSharp.torch;

namespace Shatter.Training;

/// <summary>How <see cref="Trainer.Run(TrainConfig, string, TrainerOptions, CancellationToken)"/> runs a configuration: what it plugs in, none of which changes what the run learns.</summary>
public sealed record TrainerOptions
{
    /// <summary>Continue from the run folder's last checkpoint (a fresh run when it has none).</summary>
    public bool Resume { get; init; }
    /// <summary>Progress display: every few steps and after every evaluation.</summary>
    public ITrainObserver? Observer { get; init; }
    /// <summary>Callbacks (probes such as the memorization measures), called before the trainer's own writers.</summary>
    public IReadOnlyList<ITrainCallback> Callbacks { get; init; } = [];
    /// <summary>The task to train, made from the resolved configuration on the run's device; null: the registry's (<see cref="Tasks.TrainingTasks"/>).</summary>
    public Func<TrainConfig, Device, ITrainingTask>? Task { get; init; }
    /// <summary>
    /// The clock of the checkpoint cadence (<see cref="Trainer.CheckpointEverySeconds"/>); tests pass one that stands
    /// still or jumps, so which epochs checkpoint does not depend on the machine's speed.
    /// </summary>
    public TimeProvider CheckpointClock { get; init; } = TimeProvider.System;
}
