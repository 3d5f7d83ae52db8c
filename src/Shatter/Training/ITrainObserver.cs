namespace Shatter.Training;

/// <summary>
/// Receives a run's progress (for a progress display). <see cref="OnStep"/> is called every few steps
/// (reading the loss synchronises a GPU, so not every step), <see cref="OnEpoch"/> after every
/// evaluation, epoch 0 being the evaluation at initialisation.
/// </summary>
public interface ITrainObserver
{
    void OnStep(long step, int epoch, double loss);
    void OnEpoch(EpochMetrics metrics, int maxEpochs);
}
