using Shatter.Training;

namespace Shatter.Experiments;

/// <summary>
/// Runs one training run into a folder (the real one is <see cref="TrainerExecutor"/>). It leaves the trainer's
/// artifacts in <c>runDir</c> (summary.json, epochs.csv, steps.csv, examples.csv, run.json), continues from
/// the folder's checkpoint when <c>resume</c> is true, and stops at a step boundary on cancellation.
/// </summary>
public interface IRunExecutor
{
    TrainSummary Execute(TrainConfig config, string runDir, bool resume, ITrainObserver? observer, CancellationToken cancellationToken);
}
