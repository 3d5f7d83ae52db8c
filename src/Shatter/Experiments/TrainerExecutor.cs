using Shatter.Training;

namespace Shatter.Experiments;

/// <summary>
/// Runs a sweep's runs with the real trainer (<see cref="Trainer.Run(TrainConfig, string, TrainerOptions, CancellationToken)"/>),
/// in this process, with a fresh set of the callbacks its makers give (Pipelines.TrainingProbes: the CLI and the
/// reproduction, a layer above the probes, plug them in), disposed after each run; `shatter train` runs its one run
/// through it too.
/// </summary>
public sealed class TrainerExecutor(params Func<ITrainCallback>[] callbacks) : IRunExecutor
{
    public TrainSummary Execute(TrainConfig config, string runDir, bool resume, ITrainObserver? observer, CancellationToken cancellationToken)
    {
        var made = callbacks.Select(make => make()).ToList();
        try
        {
            return Trainer.Run(config, runDir, new TrainerOptions { Resume = resume, Observer = observer, Callbacks = made }, cancellationToken);
        }
        finally
        {
            foreach (var c in made) (c as IDisposable)?.Dispose();
        }
    }
}
