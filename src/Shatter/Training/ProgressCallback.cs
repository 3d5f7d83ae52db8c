namespace Shatter.Training;

/// <summary>Hands every row to a progress display (<see cref="ITrainObserver"/>, which also receives a loss every few steps from the epoch loop).</summary>
sealed class ProgressCallback(ITrainObserver observer, int maxEpochs) : ITrainCallback
{
    public void OnEpoch(TrainingContext run, EpochMetrics row, bool complete) => observer.OnEpoch(row, maxEpochs);
}
