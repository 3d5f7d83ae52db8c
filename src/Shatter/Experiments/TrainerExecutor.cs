using Shatter.Training;

namespace Shatter.Experiments;

/// <summary>Runs a sweep's runs with the real trainer (<see cref="Trainer.Run"/>), in this process.</summary>
public sealed class TrainerExecutor : IRunExecutor
{
    public TrainSummary Execute(TrainConfig config, string runDir, bool resume, ITrainObserver? observer, CancellationToken cancellationToken) =>
        Trainer.Run(config, runDir, resume, observer, cancellationToken);
}
