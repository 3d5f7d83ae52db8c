namespace Shatter.Training;

/// <summary>
/// One row of epochs.csv: the state after <see cref="Epoch"/> full passes (epoch 0 = at initialisation),
/// measured in eval mode over the whole training set (with its possibly corrupted labels) and the whole
/// test set (true labels). <see cref="Seconds"/> is wall time since the epoch loop started.
/// </summary>
public sealed record EpochMetrics(
    int Epoch,
    long Step,
    double LearningRate,
    double TrainLoss,
    double TrainAccuracy,
    double TestLoss,
    double TestAccuracy,
    double Seconds);
