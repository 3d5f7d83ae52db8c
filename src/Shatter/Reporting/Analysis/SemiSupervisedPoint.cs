namespace Shatter.Reporting.Analysis;

/// <summary>
/// One method at one label noise of the semi-supervised spec, over its seeds (summary.json's measures): the labelled part's
/// fit against its noisy labels and of its clean examples alone, the corrupted labelled examples predicted as their wrong label (memorized) and as their
/// true one, test accuracy, the pseudo-labels the method trains on (accuracy, mask rate: FixMatch's share above τ, Lee's 1,
/// supervised's 0), the share of unlabelled images above τ and its accuracy, the accuracy on all unlabelled images, chance.
/// </summary>
public sealed record SemiSupervisedPoint(string Method, double Noise, int Runs, Spread LabelledFit, Spread CleanFit, Spread Memorized, Spread TrueLabel, Spread Test,
    Spread PseudoLabelAccuracy, Spread MaskRate, Spread ConfidentRate, Spread ConfidentAccuracy, Spread UnlabelledAccuracy, double Chance);
