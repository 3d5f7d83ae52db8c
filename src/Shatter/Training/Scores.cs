namespace Shatter.Training;

/// <summary>
/// What one evaluation measured: the loss and the score (accuracy, R², …: higher is better) over the training set and
/// over the test set. <see cref="Running"/>: the training numbers are the epoch's running ones (its forward passes, each
/// by the model of its step), not a measurement of the model now.
/// </summary>
public readonly record struct Scores(double TrainLoss, double TrainScore, double TestLoss, double TestScore, bool Running = false);
