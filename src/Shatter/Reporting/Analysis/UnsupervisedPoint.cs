namespace Shatter.Reporting.Analysis;

/// <summary>
/// One (model, input randomization, training-set size) point of the unsupervised spec, over its finished runs (seeds):
/// how many fitted (training MSE at most the reconstruction target), final training and test reconstruction MSE, epochs to
/// fit (of the fitted runs), and the attractor measures of summary.json — the shares of the measured training images that
/// are fixed points, attractors and recovered from perturbed copies, the share of random starts that landed on a training
/// image — and, for one training image, the identity test's correlations of f(x_new) with x_new and with the training image.
/// </summary>
public sealed record UnsupervisedPoint(string Model, string Randomization, int TrainSize, int Runs, int Fitted, Spread TrainMse, Spread TestMse,
    Spread EpochsToFit, Spread FixedPointShare, Spread AttractorShare, Spread RecoveredShare, Spread LandedShare, Spread IdentityWithInput, Spread IdentityWithTraining);
