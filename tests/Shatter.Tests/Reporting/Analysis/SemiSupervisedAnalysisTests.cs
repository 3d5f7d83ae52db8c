using Shatter.Reporting;
using Shatter.Reporting.Analysis;
using Shatter.Training;

namespace Shatter.Tests.Reporting.Analysis;

/// <summary>
/// The semi-supervised findings from fabricated runs whose expected numbers are worked out by hand here: means over seeds,
/// the verdict (stops, reduces, does not reduce) against the supervised baseline, test accuracy with true labels, and
/// FixMatch's confident pseudo-labels.
/// </summary>
public sealed class SemiSupervisedAnalysisTests
{
    static int order;

    static ReportRun Run(string method, double noise, double memorized, double test, long seed = 1, double fit = 0.9,
        double confidentRate = 0.5, double confidentAccuracy = 0.8, double unlabelledAccuracy = 0.6, double clean = 1.0)
    {
        var config = new TrainConfig { Model = "mlp-1x512", Labelled = 250, TrainSize = 1000, SemiMethod = method, LabelNoise = noise, Seed = seed };
        var measures = new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["labelled_fit"] = fit, ["clean_labelled_fit"] = noise == 1 ? double.NaN : clean, ["corrupted_memorized"] = noise == 0 ? double.NaN : memorized, ["corrupted_true_label"] = 0.01,
            ["confident_rate"] = confidentRate, ["confident_accuracy"] = confidentAccuracy, ["unlabelled_accuracy"] = unlabelledAccuracy,
            ["mask_rate"] = method == "fixmatch" ? confidentRate : method == "pseudo-label" ? 1 : 0,
            ["pseudo_label_accuracy"] = method == "fixmatch" ? confidentAccuracy : method == "pseudo-label" ? unlabelledAccuracy : double.NaN,
        };
        var summary = new TrainSummary { FinalTrainAccuracy = fit, FinalTestAccuracy = test, Epochs = 30, Measures = measures };
        return ReportRun.Of("semisupervised", new Dictionary<string, string> { ["semi_method"] = method }, config, summary, order: Interlocked.Increment(ref order));
    }

    [Fact]
    public void Points_average_each_method_and_noise_over_its_seeds_in_the_specs_order()
    {
        var points = SemiSupervisedAnalysis.Points(
        [
            Run("fixmatch", 1, 0.2, 0.1), Run("supervised", 1, 1.0, 0.1), Run("supervised", 0.5, 0.9, 0.4, seed: 1), Run("supervised", 0.5, 0.7, 0.5, seed: 2),
        ]);
        Assert.Equal([("supervised", 0.5), ("supervised", 1.0), ("fixmatch", 1.0)], points.Select(p => (p.Method, p.Noise)));
        var two = points[0];
        Assert.Equal((2, 0.8, 0.7, 0.9), (two.Runs, two.Memorized.Mean, two.Memorized.Min, two.Memorized.Max));
        Assert.Equal(0.45, two.Test.Mean, 12);
    }

    [Fact]
    public void Each_method_is_judged_against_the_supervised_baseline_at_the_same_noise()
    {
        var runs = new[]
        {
            Run("supervised", 0, 0, 0.60), Run("supervised", 0.5, 0.90, 0.40), Run("supervised", 1, 1.00, 0.08),
            // pseudo-label: (0.90 − 0.30 + 1.00 − 0.50) / 2 = 0.55 below the baseline on average: reduces, not stops (0.5 > 0.1)
            Run("pseudo-label", 0, 0, 0.65), Run("pseudo-label", 0.5, 0.30, 0.45, clean: 0.95), Run("pseudo-label", 1, 0.50, 0.10),
            // fixmatch: at most 0.1 at every noisy level: stops; with true labels 0.605, within 0.01 of 0.60: level
            Run("fixmatch", 0, 0, 0.605, confidentRate: 0.4, confidentAccuracy: 0.9, unlabelledAccuracy: 0.55),
            Run("fixmatch", 0.5, 0.05, 0.5, clean: 0.5, confidentRate: 0.2, confidentAccuracy: 0.3, unlabelledAccuracy: 0.35),
            Run("fixmatch", 1, 0.10, 0.1, confidentRate: 0, confidentAccuracy: double.NaN, unlabelledAccuracy: 0.1),
        };
        var findings = SemiSupervisedAnalysis.Findings(SemiSupervisedAnalysis.Points(runs));
        Assert.Equal(7, findings.Count);
        Assert.StartsWith("✗ pseudo-label: the unlabelled data reduces the memorization of wrong labels", findings[0]);
        Assert.Contains("noise 0.5: 30% against 90% (as their true label: 1% against 1%; labelled fit 90% against 90%; test accuracy 45% against 40%)", findings[0]);
        Assert.Contains("noise 1: 50% against 100%", findings[0]);
        Assert.Contains("on average 55 points below supervised", findings[0]);
        Assert.Contains("differs from the paper's finding", findings[0]);
        Assert.DoesNotContain("fits fewer of the clean", findings[0]);                                  // 95% against 100%: within 10 points
        Assert.StartsWith("✗ fixmatch: the unlabelled data stops the memorization", findings[1]);
        Assert.Contains("on average 87.5 points below supervised", findings[1]);                       // (0.85 + 0.90) / 2
        Assert.Contains("shifts and flips its labelled batch", findings[1]);
        // its clean labelled examples at noise 0.5 (noise 1 has none): 50% against 100%, a fit slowed altogether
        Assert.Contains("It also fits fewer of the clean labelled examples (noise 0.5: 50% against 100%)", findings[1]);
        Assert.Equal("✓ pseudo-label with true labels: test accuracy 65%, above supervised's 60% on the same labelled part; Lee (2013) reports unlabelled data raising test accuracy over the labelled examples alone — agrees.", findings[2]);
        Assert.StartsWith("✗ fixmatch with true labels: test accuracy 60.5%, level with supervised's 60%", findings[3]);
        Assert.StartsWith("✓ fixmatch at noise 0: 40% of the unlabelled images pass τ, 90% of those right, against 55%", findings[4]);
        Assert.StartsWith("✗ fixmatch at noise 0.5: 20% of the unlabelled images pass τ, 30% of those right, against 35%", findings[5]);
        Assert.StartsWith("– fixmatch at noise 1: no unlabelled image passes τ", findings[6]);
    }

    [Fact]
    public void A_method_no_better_than_the_baseline_agrees_with_the_paper_and_a_baseline_that_did_not_memorize_gives_no_verdict()
    {
        var agrees = SemiSupervisedAnalysis.Findings(SemiSupervisedAnalysis.Points(
            [Run("supervised", 1, 0.95, 0.1), Run("pseudo-label", 1, 0.90, 0.1)]));
        Assert.StartsWith("✓ pseudo-label: the unlabelled data does not reduce the memorization of wrong labels", Assert.Single(agrees));
        Assert.Contains("on average 5 points below supervised. This agrees with the paper's finding", agrees[0]);

        var tooShort = SemiSupervisedAnalysis.Findings(SemiSupervisedAnalysis.Points(
            [Run("supervised", 1, 0.30, 0.1), Run("pseudo-label", 1, 0.10, 0.1)]));
        Assert.StartsWith("– pseudo-label: cannot say", Assert.Single(tooShort));
        Assert.Contains("supervised itself memorized only 30%", tooShort[0]);
    }
}
