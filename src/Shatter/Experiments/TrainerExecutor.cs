using Shatter.Training;

namespace Shatter.Experiments;

/// <summary>
/// Runs a sweep's runs with the real trainer (<see cref="Trainer.Run(TrainConfig, string, TrainerOptions, CancellationToken)"/>),
/// in this process, with a fresh set of the callbacks its maker gives (the memorization probe: the CLI, a layer above
/// the probes, plugs them in), disposed after each run.
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
