using System.Globalization;

namespace Shatter.Reporting.Analysis;

/// <summary>
/// The analysis of experiments/semisupervised.yaml (issue 21), pure functions of finished runs' summary.json "measures"
/// (Training/Tasks/SemiSupervisedTask): per method and label noise, over seeds, the fit of the noisy labelled part, the
/// share of corrupted labelled examples predicted as their wrong label (memorized) and as their true one, test accuracy,
/// and the pseudo-labels' accuracy and mask rate; and the findings — does the unlabelled data stop the memorization of
/// wrong labels that the paper found explicit regularizers do not (Table 1), and what agrees or differs from Lee (2013)
/// and FixMatch (Sohn et al. 2020).
/// </summary>
public static class SemiSupervisedAnalysis
{
    /// <summary>The spec's name, its methods in the spec's order, and the supervised-only baseline.</summary>
    public const string Spec = "semisupervised", Baseline = "supervised";
    public static readonly IReadOnlyList<string> Methods = ["supervised", "pseudo-label", "fixmatch"];

    /// <summary>A method "stops" memorization when it memorizes at most this share of the corrupted labelled examples at every noisy level.</summary>
    public const double StopShare = 0.1;
    /// <summary>…and "reduces" it when its memorized share is on average at least this far (absolute) below the baseline's.</summary>
    public const double ReduceMargin = 0.1;
    /// <summary>Below this mean memorized share the supervised baseline did not memorize, and no verdict is drawn.</summary>
    public const double BaselineMemorizes = 0.5;
    /// <summary>Test accuracies that differ by less than this (absolute) count as the same.</summary>
    public const double SameAccuracy = 0.01;

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Every (method, label noise) with finished runs, ordered by method (the spec's order) then noise.</summary>
    public static IReadOnlyList<SemiSupervisedPoint> Points(IReadOnlyList<ReportRun> runs)
    {
        var done = runs.Where(r => r.Done && r.Config.Labelled > 0 && r.Summary!.Measures is not null).ToList();
        return [.. done.GroupBy(r => (r.Config.SemiMethod, r.Config.LabelNoise))
            .OrderBy(g => Order(g.Key.SemiMethod)).ThenBy(g => g.Key.LabelNoise)
            .Select(g =>
            {
                Spread Of(string key) => Spread.Of(g.Select(r => r.Summary!.Measures!.GetValueOrDefault(key, double.NaN)));
                return new SemiSupervisedPoint(g.Key.SemiMethod, g.Key.LabelNoise, g.Count(), Of("labelled_fit"), Of("clean_labelled_fit"), Of("corrupted_memorized"),
                    Of("corrupted_true_label"), Spread.Of(g.Select(r => r.Summary!.FinalTestAccuracy)), Of("pseudo_label_accuracy"), Of("mask_rate"),
                    Of("confident_rate"), Of("confident_accuracy"), Of("unlabelled_accuracy"), g.First().ChanceAccuracy);
            })];
    }

    /// <summary>A method's place in <see cref="Methods"/> (an unknown one last).</summary>
    static int Order(string method)
    {
        for (int i = 0; i < Methods.Count; i++)
            if (Methods[i] == method) return i;
        return Methods.Count;
    }

    /// <summary>
    /// The findings: per method beside the baseline, whether the unlabelled data stops, reduces or does not reduce the
    /// memorization of the corrupted labelled examples (noise &gt; 0), against the paper's finding for explicit regularizers;
    /// per method, test accuracy with true labels against the baseline (Lee and FixMatch: unlabelled data raises it); FixMatch's
    /// confident pseudo-labels against all of them (its premise: confident ones are more often right).
    /// </summary>
    public static IReadOnlyList<string> Findings(IReadOnlyList<SemiSupervisedPoint> points)
    {
        var lines = new List<string>();
        var baseline = points.Where(p => p.Method == Baseline).ToDictionary(p => p.Noise);
        foreach (var method in points.Select(p => p.Method).Distinct().Where(m => m != Baseline))
        {
            var noisy = points.Where(p => p.Method == method && p.Noise > 0 && p.Memorized.Count > 0 && baseline.TryGetValue(p.Noise, out var b) && b.Memorized.Count > 0).ToList();
            if (noisy.Count == 0) continue;
            double reduction = noisy.Average(p => baseline[p.Noise].Memorized.Mean - p.Memorized.Mean);
            var each = string.Join("; ", noisy.Select(p => string.Create(Inv,
                $"noise {p.Noise:0.##}: {Pct(p.Memorized.Mean)} against {Pct(baseline[p.Noise].Memorized.Mean)} (as their true label: {Pct(p.TrueLabel.Mean)} against {Pct(baseline[p.Noise].TrueLabel.Mean)}; labelled fit {Pct(p.LabelledFit.Mean)} against {Pct(baseline[p.Noise].LabelledFit.Mean)}; test accuracy {Pct(p.Test.Mean)} against {Pct(baseline[p.Noise].Test.Mean)})")));
            var shares = $"share of corrupted labelled examples predicted as their wrong label, {each}";
            double baselineMemorized = noisy.Average(p => baseline[p.Noise].Memorized.Mean);
            if (baselineMemorized < BaselineMemorizes)
            {
                // the runs were too short for the labelled part alone to memorize: nothing for the unlabelled data to stop
                lines.Add(string.Create(Inv, $"– {method}: cannot say whether the unlabelled data stops the memorization of wrong labels — supervised itself memorized only {Pct(baselineMemorized)} of them on average ({shares}); train longer."));
                continue;
            }
            string verdict = noisy.All(p => p.Memorized.Mean <= StopShare) ? "stops"
                : reduction >= ReduceMargin ? "reduces" : "does not reduce";
            bool agrees = verdict == "does not reduce";
            // a method that fits the clean labelled examples no better than the wrong ones slows fitting altogether
            var slower = noisy.Where(p => p.CleanFit.Count > 0 && baseline[p.Noise].CleanFit.Count > 0).ToList();
            double cleanGap = slower.Count == 0 ? 0 : slower.Average(p => baseline[p.Noise].CleanFit.Mean - p.CleanFit.Mean);
            var slowed = verdict == "does not reduce" || cleanGap < ReduceMargin ? ""
                : string.Create(Inv, $" It also fits fewer of the clean labelled examples ({string.Join("; ", slower.Select(p => $"noise {p.Noise:0.##}: {Pct(p.CleanFit.Mean)} against {Pct(baseline[p.Noise].CleanFit.Mean)}"))}): it slows the fit of every label rather than singling out the wrong ones.");
            var augmented = method == "fixmatch" ? " FixMatch also shifts and flips its labelled batch, an augmentation the supervised runs lack (the paper's Table 1: augmentation slows the fit of random labels without stopping it)." : "";
            lines.Add(string.Create(Inv,
                $"{(agrees ? "✓" : "✗")} {method}: the unlabelled data {verdict} the memorization of wrong labels — {shares}; on average {reduction * 100:0.#} points below supervised. This {(agrees ? "agrees with" : "differs from")} the paper's finding that explicit regularizers (weight decay, dropout, augmentation) do not stop a network from fitting random labels (Table 1).{slowed}{augmented}"));
        }
        if (baseline.TryGetValue(0, out var clean))
            foreach (var p in points.Where(p => p.Method != Baseline && p.Noise == 0 && p.Test.Count > 0))
            {
                double gain = p.Test.Mean - clean.Test.Mean;
                string outcome = gain >= SameAccuracy ? "above" : gain <= -SameAccuracy ? "below" : "level with";
                lines.Add(string.Create(Inv,
                    $"{(gain >= SameAccuracy ? "✓" : "✗")} {p.Method} with true labels: test accuracy {Pct(p.Test.Mean)}, {outcome} supervised's {Pct(clean.Test.Mean)} on the same labelled part; {(p.Method == "fixmatch" ? "FixMatch (Sohn et al. 2020)" : "Lee (2013)")} reports unlabelled data raising test accuracy over the labelled examples alone — {(gain >= SameAccuracy ? "agrees" : "differs")}."));
            }
        foreach (var p in points.Where(p => p.Method == "fixmatch" && p.MaskRate.Count > 0))
        {
            if (p.ConfidentAccuracy.Count == 0)
            {
                lines.Add(string.Create(Inv, $"– fixmatch at noise {p.Noise:0.##}: no unlabelled image passes τ at the end ({Pct(p.UnlabelledAccuracy.Mean)} of them classified right, chance {Pct(p.Chance)}), so the final model trains on no pseudo-label and FixMatch's premise cannot be judged."));
                continue;
            }
            bool premise = p.ConfidentAccuracy.Mean >= p.UnlabelledAccuracy.Mean;
            lines.Add(string.Create(Inv,
                $"{(premise ? "✓" : "✗")} fixmatch at noise {p.Noise:0.##}: {Pct(p.MaskRate.Mean)} of the unlabelled images pass τ, {Pct(p.ConfidentAccuracy.Mean)} of those right, against {Pct(p.UnlabelledAccuracy.Mean)} of all unlabelled images (chance {Pct(p.Chance)}); FixMatch's premise, that confident pseudo-labels are the more accurate ones, {(premise ? "holds" : "does not hold")} here."));
        }
        return lines;
    }

    static string Pct(double fraction) => double.IsNaN(fraction) ? "n/a" : RunOutcome.Percent(fraction);
}
