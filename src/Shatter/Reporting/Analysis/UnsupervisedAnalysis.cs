using System.Globalization;
using System.Text.Json;
using Shatter.Corruptions;
using Shatter.Training;

namespace Shatter.Reporting.Analysis;

/// <summary>
/// The analysis of experiments/unsupervised.yaml (autoencoders on true and randomized images, issue 21), pure functions of
/// finished runs and their summary.json fields (the attractor probe's): per (model, randomization, training-set size) the
/// fit, train and test reconstruction MSE and the attractor measures (<see cref="UnsupervisedPoint"/>), and findings that
/// set them beside the anchors' claims — Radhakrishnan, Belkin and Uhler (PNAS 2020): over-parameterized autoencoders
/// trained to a small loss store their training images as attractors, and iterating the map from other starts lands on
/// them; Zhang, Bengio, Hardt, Mozer and Singer (ICLR 2020): trained on one image, fully connected networks learn the
/// constant map to it, shallow convolutional ones the identity — and beside the randomization test of Zhang et al. 2017
/// (is a randomized input fitted as a true one is?).
/// </summary>
public static class UnsupervisedAnalysis
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Randomizations in the order the spec and the figures use.</summary>
    public static readonly IReadOnlyList<string> Randomizations = ["true images", "shuffled pixels", "random pixels", "gaussian"];

    /// <summary>A share of attractors (or recovered images) at least this counts as "the training images are attractors".</summary>
    public const double Majority = 0.5;

    /// <summary>A share as a whole percentage, "38%".</summary>
    static string Pct(double share) => (share * 100).ToString("0", Inv) + "%";

    public static string RandomizationOf(TrainConfig c) => c.Inputs switch
    {
        InputMode.Shuffled => "shuffled pixels",
        InputMode.Random => "random pixels",
        InputMode.Gaussian => "gaussian",
        _ => "true images",
    };

    /// <summary>A number the attractor probe wrote into summary.json; NaN when the run has none (or it was not finite).</summary>
    public static double Field(TrainSummary summary, string key) =>
        summary.Fields?.GetValueOrDefault(key) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : double.NaN;

    /// <summary>The points of the runs, by model, randomization (spec order) and training-set size.</summary>
    public static IReadOnlyList<UnsupervisedPoint> Points(IReadOnlyList<(TrainConfig Config, TrainSummary Summary)> runs) =>
        [.. runs.GroupBy(r => (r.Config.Model, Randomization: RandomizationOf(r.Config), Size: r.Summary.TrainSize))
            .OrderBy(g => g.Key.Model, StringComparer.Ordinal).ThenBy(g => IndexOf(g.Key.Randomization)).ThenBy(g => g.Key.Size)
            .Select(g =>
            {
                var at = g.ToList();
                Spread Of(string key) => Spread.Of(at.Select(r => Field(r.Summary, key)));
                return new UnsupervisedPoint(g.Key.Model, g.Key.Randomization, g.Key.Size, at.Count, at.Count(r => r.Summary.Fitted),
                    Spread.Of(at.Select(r => r.Summary.FinalTrainLoss)), Spread.Of(at.Select(r => r.Summary.FinalTestLoss)),
                    Spread.Of(at.Where(r => r.Summary.Fitted).Select(r => (double)r.Summary.EpochsToFit!.Value)),
                    Of("fixed_point_share"), Of("attractor_share"), Of("recovered_share"), Of("landed_share"),
                    Of("identity_with_input"), Of("identity_with_training"));
            })];

    static int IndexOf(string randomization) => Randomizations.Contains(randomization) ? Randomizations.ToList().IndexOf(randomization) : Randomizations.Count;

    /// <summary>
    /// The findings, each a sentence with ✓ (agrees with the anchor), ✗ (differs) or ~ (partly) where it checks a claim:
    /// the fit per randomization; attractors and recovery (fitted runs of at least two images); random starts; train
    /// against test MSE; and the identity test per model on one image.
    /// </summary>
    public static IReadOnlyList<string> Findings(IReadOnlyList<UnsupervisedPoint> points)
    {
        var lines = new List<string>();
        if (points.Count == 0) return lines;
        lines.Add(FitFinding(points));
        if (SlowdownFinding(points) is { } slowdown) lines.Add(slowdown);
        if (AttractorFinding(points) is { } attractors) lines.Add(attractors);
        if (RandomStartFinding(points) is { } starts) lines.Add(starts);
        if (GeneralizationFinding(points) is { } gap) lines.Add(gap);
        lines.AddRange(IdentityFindings(points));
        return lines;
    }

    /// <summary>Fitted runs of all runs per randomization, and their mean epochs to fit: do randomized inputs fit as true ones do?</summary>
    static string FitFinding(IReadOnlyList<UnsupervisedPoint> points)
    {
        var parts = new List<string>();
        int fitted = 0, runs = 0;
        foreach (var g in points.GroupBy(p => p.Randomization).OrderBy(g => IndexOf(g.Key)))
        {
            int f = g.Sum(p => p.Fitted), n = g.Sum(p => p.Runs);
            (fitted, runs) = (fitted + f, runs + n);
            var epochs = g.Where(p => p.EpochsToFit.Count > 0).ToList();
            double mean = epochs.Count == 0 ? double.NaN : epochs.Sum(p => p.EpochsToFit.Mean * p.EpochsToFit.Count) / epochs.Sum(p => p.EpochsToFit.Count);
            parts.Add(string.Create(Inv, $"{g.Key} {f} of {n}{(epochs.Count > 0 ? $" (mean {mean:0} epochs to fit)" : "")}"));
        }
        string mark = fitted == runs ? "✓" : fitted > 0 ? "~" : "✗";
        return $"{mark} Runs that reached the reconstruction target: {string.Join(", ", parts)}. As with labels in Zhang et al. 2017, randomized inputs {(fitted == runs ? "are memorized as true images are" : fitted > 0 ? "are not all memorized within the epoch cap" : "were not memorized within the epoch cap")}.";
    }

    /// <summary>
    /// Epochs to fit of each randomization relative to true images', at the largest training set where true images fitted
    /// (means over models and seeds): for labels, Zhang et al. 2017 find randomized data fitted more slowly, by a small factor.
    /// </summary>
    static string? SlowdownFinding(IReadOnlyList<UnsupervisedPoint> points)
    {
        var truth = points.Where(p => p.Randomization == "true images" && p.EpochsToFit.Count > 0).ToList();
        if (truth.Count == 0) return null;
        int size = truth.Max(p => p.TrainSize);
        double reference = truth.Where(p => p.TrainSize == size).Average(p => p.EpochsToFit.Mean);
        var ratios = points.Where(p => p.TrainSize == size && p.Randomization != "true images" && p.EpochsToFit.Count > 0)
            .GroupBy(p => p.Randomization).OrderBy(g => IndexOf(g.Key)).Select(g => (g.Key, Ratio: g.Average(p => p.EpochsToFit.Mean) / reference)).ToList();
        if (ratios.Count == 0) return null;
        int slower = ratios.Count(r => r.Ratio >= 1);
        string mark = slower == ratios.Count ? "✓" : slower > 0 ? "~" : "✗";
        string verdict = slower == ratios.Count ? "so are randomized images here"
            : slower > 0 ? "here some randomizations fit more slowly and others faster"
            : "here the randomized images fit faster: an autoencoder has no labels to contradict, and images without structure are far less alike than true ones, which likely eases gradient descent";
        return string.Create(Inv, $"{mark} Epochs to fit relative to true images' ({reference:0} epochs) with {size} training images: {string.Join(", ", ratios.Select(r => string.Create(Inv, $"{r.Key} {r.Ratio:0.00}×")))}. For labels, Zhang et al. 2017 find randomized data fitted more slowly, by a small constant factor; {verdict}.");
    }

    /// <summary>Mean shares of attractors and recovered images over the fitted points of at least two images (one image: see the identity test).</summary>
    static string? AttractorFinding(IReadOnlyList<UnsupervisedPoint> points)
    {
        var measured = points.Where(p => p.TrainSize >= 2 && p.Fitted > 0 && p.AttractorShare.Count > 0).ToList();
        if (measured.Count == 0) return null;
        double attractors = measured.Average(p => p.AttractorShare.Mean), recovered = measured.Average(p => p.RecoveredShare.Mean);
        double fixedPoints = measured.Average(p => p.FixedPointShare.Mean);
        var smallest = measured.MinBy(p => p.TrainSize)!.TrainSize;
        var largest = measured.MaxBy(p => p.TrainSize)!.TrainSize;
        double Mean(int size, Func<UnsupervisedPoint, double> f) => measured.Where(p => p.TrainSize == size).Average(f);
        string mark = attractors >= Majority ? "✓" : attractors > 0 ? "~" : "✗";
        var bySize = smallest == largest ? "" : string.Create(Inv, $"; {Pct(Mean(smallest, p => p.AttractorShare.Mean))} at {smallest} images against {Pct(Mean(largest, p => p.AttractorShare.Mean))} at {largest}");
        return string.Create(Inv, $"{mark} Training images that are attractors (fixed points whose Jacobian has spectral radius below 1), over the {measured.Count} fitted settings of 2 or more images: {Pct(attractors)} on average ({Pct(fixedPoints)} are fixed points){bySize}; {Pct(recovered)} are recovered by iterating the map from a copy with 10% noise. Radhakrishnan et al. find that over-parameterized autoencoders trained to a small loss store their training images as attractors: {(attractors >= Majority ? "this agrees" : attractors > 0 ? "this holds for a minority of the images only" : "this differs")} at Shatter's reconstruction target, which is far above the near-zero losses they train to.");
    }

    /// <summary>The share of random starts that landed on a training image, smallest against largest set.</summary>
    static string? RandomStartFinding(IReadOnlyList<UnsupervisedPoint> points)
    {
        var measured = points.Where(p => p.Fitted > 0 && p.LandedShare.Count > 0).ToList();
        if (measured.Count == 0) return null;
        var parts = measured.GroupBy(p => p.TrainSize).OrderBy(g => g.Key)
            .Select(g => string.Create(Inv, $"{Pct(g.Average(p => p.LandedShare.Mean))} with {g.Key} training image{(g.Key == 1 ? "" : "s")}"));
        double overall = measured.Average(p => p.LandedShare.Mean);
        string mark = overall >= Majority ? "✓" : overall > 0 ? "~" : "✗";
        return $"{mark} Random starts (pixels drawn from the training pixels' mean and spread) that land on a training image after 100 iterations of the map, fitted settings: {string.Join(", ", parts)}. Radhakrishnan et al. report that iterating from random inputs converges to training images; {(overall >= Majority ? "so do most starts here" : overall > 0 ? "here only some do, the others stop elsewhere or keep moving" : "here none does")}.";
    }

    /// <summary>A test MSE at least this many times the training MSE counts as memorization without generalization.</summary>
    public const double GapFactor = 10;

    /// <summary>Test against training MSE at the largest training set, per randomization: does the map reproduce new images too?</summary>
    static string? GeneralizationFinding(IReadOnlyList<UnsupervisedPoint> points)
    {
        int largest = points.Max(p => p.TrainSize);
        var atLargest = points.Where(p => p.TrainSize == largest && p.TrainMse.Count > 0 && p.TestMse.Count > 0).ToList();
        if (atLargest.Count == 0) return null;
        var groups = atLargest.GroupBy(p => p.Randomization).OrderBy(g => IndexOf(g.Key))
            .Select(g => (g.Key, Train: g.Average(p => p.TrainMse.Mean), Test: g.Average(p => p.TestMse.Mean))).ToList();
        var parts = groups.Select(g => string.Create(Inv, $"{g.Key} {g.Train:0.####} against {g.Test:0.###}"));
        var memorized = groups.Where(g => g.Test >= GapFactor * g.Train).Select(g => g.Key).ToList();
        var verdict = memorized.Count == 0 ? $"no randomization's test MSE is {GapFactor:0}× its training MSE or more"
            : $"{string.Join(", ", memorized)}: test MSE {GapFactor:0}× the training MSE or more, the map reproduces its training images and not new ones — memorization, as the randomization tests find for labels";
        return $"Training against test reconstruction MSE with {largest} training images (whitened pixels: an MSE of 1 is no better than a constant): {string.Join(", ", parts)}; {verdict}.";
    }

    /// <summary>Per model, fitted one-image runs: identity or constant (Zhang et al. 2020: fully connected → constant, shallow convolutional → identity).</summary>
    static IEnumerable<string> IdentityFindings(IReadOnlyList<UnsupervisedPoint> points)
    {
        // the anchors' maps are trained to a small loss: a one-image run that did not fit has no verdict
        foreach (var g in points.Where(p => p.TrainSize == 1 && p.Fitted > 0 && p.IdentityWithInput.Count > 0).GroupBy(p => p.Model))
        {
            double withInput = g.Average(p => p.IdentityWithInput.Mean), withTraining = g.Average(p => p.IdentityWithTraining.Mean);
            int identity = g.Count(p => p.IdentityWithInput.Mean >= p.IdentityWithTraining.Mean), all = g.Count();
            bool convolutional = g.Key.StartsWith("ae-conv", StringComparison.Ordinal);
            string expected = convolutional ? "identity" : "constant";
            int agreeing = convolutional ? identity : all - identity;
            string mark = agreeing == all ? "✓" : agreeing > 0 ? "~" : "✗";
            yield return string.Create(Inv, $"{mark} {g.Key} trained on one image: closer to the identity in {identity} of {all} randomizations, to the constant map in {all - identity} (mean correlation of f(x_new) with x_new {withInput:0.00}, with the training image {withTraining:0.00}). Zhang, Bengio, Hardt, Mozer and Singer find that a {(convolutional ? "shallow convolutional" : "fully connected")} network learns the {expected}{(agreeing == all ? "; so does this one" : agreeing > 0 ? "; this one does only in part" : "; this one does not")}.");
        }
    }
}
