using System.Globalization;
using Shatter.Corruptions;
using Shatter.Training;

namespace Shatter.Reporting.Analysis;

/// <summary>
/// One (model, randomization) point of the text spec, over seeds: how many runs fitted, epochs to fit (of those that
/// fitted), steps relative to true labels' of the same seed (a lower bound where a run did not fit), final training and
/// test accuracy, the label noise level (0 for the input randomizations) and chance (1 / classes).
/// </summary>
public sealed record TextPoint(string Model, string Randomization, double Level, int Runs, int Fitted, Spread Epochs, Spread Slowdown,
    Spread TrainAccuracy, Spread TestAccuracy, double Chance, int TestSize)
{
    public bool AllFitted => Runs > 0 && Fitted == Runs;
}

/// <summary>
/// The analysis of experiments/text.yaml (the randomization tests on the fortunes corpus), pure functions of finished runs:
/// per model, true labels, label noise, random labels, shuffled and random tokens; and findings that set each beside the
/// paper's image results (Figure 1a–c, Table 1), saying where they agree and where they differ.
/// </summary>
public static class TextAnalysis
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public const string TrueLabels = "true labels", RandomLabels = "random labels", ShuffledTokens = "shuffled tokens", RandomTokens = "random tokens";

    /// <summary>The randomization a run applies: an input mode, else true labels, random labels or "label noise P".</summary>
    public static string RandomizationOf(TrainConfig c) => c.Inputs switch
    {
        InputMode.ShuffledTokens => ShuffledTokens,
        InputMode.RandomTokens => RandomTokens,
        _ => c.LabelNoise switch { 0 => TrueLabels, >= 1 => RandomLabels, var p => string.Create(Inv, $"label noise {p}") },
    };

    /// <summary>Chance accuracy of a run: 1 / its classes (the label transition's side), 1 / 32 for fortunes without one.</summary>
    public static double Chance(TrainSummary s) => 1.0 / (s.LabelTransition is { Length: > 1 } t ? t.Length : 32);

    public static IReadOnlyList<TextPoint> Points(IReadOnlyList<ReportRun> runs)
    {
        var done = runs.Where(r => r.Done).ToList();
        var points = new List<TextPoint>();
        foreach (var model in done.GroupBy(r => r.Model).OrderBy(g => g.Min(r => r.Record.Order)))
        {
            var reference = model.Where(r => RandomizationOf(r.Config) == TrueLabels && r.Fitted).GroupBy(r => r.Config.Seed)
                .ToDictionary(s => s.Key, s => (double)s.First().Summary!.StepsToFit!.Value);
            foreach (var g in model.GroupBy(r => RandomizationOf(r.Config)).OrderBy(g => g.Min(r => r.Record.Order)))
            {
                var at = g.ToList();
                var fitted = at.Where(r => r.Fitted).ToList();
                var slowdown = Spread.Of(at.Where(r => reference.ContainsKey(r.Config.Seed))
                    .Select(r => (r.Summary!.StepsToFit ?? r.Summary.Steps) / reference[r.Config.Seed]));
                points.Add(new TextPoint(model.Key, g.Key, g.Key.StartsWith("label noise", StringComparison.Ordinal) || g.Key == RandomLabels ? at[0].Config.LabelNoise : 0,
                    at.Count, fitted.Count, Spread.Of(fitted.Select(r => (double)r.Summary!.EpochsToFit!.Value)), slowdown,
                    Spread.Of(at.Select(r => r.Summary!.FinalTrainAccuracy)), Spread.Of(at.Select(r => r.Summary!.FinalTestAccuracy)),
                    Chance(at[0].Summary!), at[0].Summary!.TestSize));
            }
        }
        return points;
    }

    /// <summary>
    /// Is a test accuracy at chance: within three standard errors of chance for a test set of <paramref name="testSize"/>
    /// (a model that guesses has accuracy ~ Binomial(m, chance) / m)?
    /// </summary>
    public static bool AtChance(double accuracy, double chance, int testSize) =>
        accuracy <= chance + 3 * Math.Sqrt(chance * (1 - chance) / Math.Max(1, testSize));

    /// <summary>
    /// Per model: random labels (fitted? slowdown, test at chance?) beside Figure 1a and Table 1; test accuracy against the
    /// label noise beside Figure 1c; shuffled and random tokens beside random pixels and Gaussian images; each ✓ where it
    /// agrees with the paper's finding on images and ✗ where it differs, with what differs.
    /// </summary>
    public static IReadOnlyList<string> Findings(IReadOnlyList<TextPoint> points)
    {
        var lines = new List<string>();
        foreach (var model in points.GroupBy(p => p.Model))
        {
            var of = model.ToDictionary(p => p.Randomization);
            var truth = of.GetValueOrDefault(TrueLabels);
            if (of.GetValueOrDefault(RandomLabels) is { } random) lines.Add(RandomLabelsFinding(model.Key, truth, random));
            if (NoiseFinding(model.Key, [.. model.Where(p => p.Randomization == TrueLabels || p.Level > 0).OrderBy(p => p.Level)]) is { } noise) lines.Add(noise);
            var randomLabels = of.GetValueOrDefault(RandomLabels);
            if (of.GetValueOrDefault(ShuffledTokens) is { } shuffled) lines.Add(InputFinding(model.Key, shuffled, truth, randomLabels, "random pixels (a permutation of its own per image)"));
            if (of.GetValueOrDefault(RandomTokens) is { } tokens) lines.Add(InputFinding(model.Key, tokens, truth, randomLabels, "Gaussian images"));
        }
        if (points.Count > 0)
            lines.Add("What differs from the paper's setup: texts (GPT-2 tokens of Debian's fortunes, 32 overlapping topics with unequal counts) and text models instead of CIFAR-10 images and the paper's networks; the paper has no text experiment, so every comparison here is with its image results.");
        return lines;
    }

    static string RandomLabelsFinding(string model, TextPoint? truth, TextPoint random)
    {
        bool fast = random.Slowdown.Count > 0 && random.Slowdown.Max <= Figure1Analysis.SmallFactor;
        bool chance = AtChance(random.TestAccuracy.Mean, random.Chance, random.TestSize);
        bool ok = random.AllFitted && fast && chance;
        var fit = random.AllFitted ? $"fitted random labels on real text in {random.Epochs.Mean:0} epochs" : $"did not fit random labels (training accuracy {Pct(random.TrainAccuracy.Mean)})";
        var slowdown = random.Slowdown.Count == 0 ? "" : $", {(random.AllFitted ? "" : "at least ")}{random.Slowdown.Mean:0.0}× the steps of true labels{(truth is { AllFitted: true } ? $" ({truth.Epochs.Mean:0} epochs)" : "")}";
        var differs = new List<string>();
        if (!random.AllFitted) differs.Add("it did not fit them within its epoch cap");
        else if (!fast) differs.Add($"the slowdown is above the small constant factor (here {Figure1Analysis.SmallFactor:0}×)");
        if (!chance) differs.Add($"its test accuracy stays above chance ({Pct(random.TestAccuracy.Mean)} against {Pct(random.Chance)})");
        return string.Create(Inv,
            $"{(ok ? "✓" : "✗")} {model}: {fit}{slowdown}; test accuracy {Pct(random.TestAccuracy.Mean)} (chance {Pct(random.Chance)}), true labels {(truth is null ? "not run" : Pct(truth.TestAccuracy.Mean))}. Paper (CIFAR-10, Figure 1a and Table 1): every network fits random labels within a small constant factor of true labels' time and tests at chance (Inception 9.78%, chance 10%). {(ok ? "Agrees." : $"Differs: {string.Join("; ", differs)}.")}");
    }

    /// <summary>Test accuracy against the label noise level (true labels at 0): monotone (to one standard error of noise) and at chance at 1?</summary>
    static string? NoiseFinding(string model, IReadOnlyList<TextPoint> curve)
    {
        if (curve.Count < 3) return null;
        var accuracies = string.Join(", ", curve.Select(p => string.Create(Inv, $"{p.Level:0.##}: {Pct(p.TestAccuracy.Mean)}")));
        var rises = new List<string>();
        for (int i = 1; i < curve.Count; i++)
        {
            double tolerance = 2 * Math.Sqrt(0.25 / Math.Max(1, curve[i].TestSize)); // two standard errors at worst
            if (curve[i].TestAccuracy.Mean > curve[i - 1].TestAccuracy.Mean + tolerance)
                rises.Add(string.Create(Inv, $"it rises from noise {curve[i - 1].Level:0.##} to {curve[i].Level:0.##}"));
        }
        var unfitted = curve.Where(p => !p.AllFitted).Select(p => p.Level.ToString("0.##", Inv)).ToList();
        var top = curve[0];
        var differs = new List<string>(rises);
        if (unfitted.Count > 0) differs.Add($"the runs at noise {string.Join(", ", unfitted)} did not fit their training set, so their test accuracy is not that of a fitted network");
        var gap = top.TestAccuracy.Mean - top.Chance;
        differs.Add(string.Create(Inv, $"the whole fall is {gap * 100:0.#} points (true labels {Pct(top.TestAccuracy.Mean)} to chance {Pct(top.Chance)}) against the paper's ~76 for Inception (85.75% to 10%): fortunes' topics overlap, so even true labels generalize little"));
        bool ok = rises.Count == 0 && unfitted.Count == 0;
        return string.Create(Inv,
            $"{(ok ? "✓" : "✗")} {model}: test accuracy against label noise {accuracies}. Paper (Figure 1c, CIFAR-10): test error rises steadily with the noise level, to chance at random labels, while every level is still fitted. {(ok ? "Agrees in shape" : "Differs")}: {string.Join("; ", differs)}.");
    }

    static string InputFinding(string model, TextPoint p, TextPoint? truth, TextPoint? randomLabels, string analogue)
    {
        bool chance = AtChance(p.TestAccuracy.Mean, p.Chance, p.TestSize);
        // slower than random labels: more epochs where both fitted (the paper's Figure 1a has every input randomization ahead of random labels)
        bool slower = p.AllFitted && randomLabels is { AllFitted: true } && p.Epochs.Mean > randomLabels.Epochs.Mean;
        bool ok = p.AllFitted && chance && !slower;
        var fit = p.AllFitted ? $"fitted in {p.Epochs.Mean:0} epochs{(p.Slowdown.Count > 0 ? $" ({p.Slowdown.Mean:0.0}× true labels' steps)" : "")}" : $"not fitted (training accuracy {Pct(p.TrainAccuracy.Mean)})";
        var why = p.Randomization == ShuffledTokens
            ? "shuffling keeps each text's bag of tokens, and a topic lives in its words more than in their order, so shuffled texts still carry the label"
            : "random tokens carry nothing of the text";
        var differs = new List<string>();
        if (!p.AllFitted) differs.Add("it was not fitted within the epoch cap");
        if (slower) differs.Add(string.Create(Inv, $"it took longer than random labels ({p.Epochs.Mean:0} epochs against {randomLabels!.Epochs.Mean:0})"));
        if (!chance) differs.Add($"test accuracy stays above chance ({why})");
        return string.Create(Inv,
            $"{(ok ? "✓" : "✗")} {model}, {p.Randomization}: {fit}; test accuracy {Pct(p.TestAccuracy.Mean)} (true labels {(truth is null ? "not run" : Pct(truth.TestAccuracy.Mean))}, chance {Pct(p.Chance)}). Paper's analogue, {analogue} (Figure 1a): fitted, faster than random labels, and at chance on the test set. {(ok ? "Agrees." : $"Differs: {string.Join("; ", differs)}.")}");
    }

    static string Pct(double fraction) => RunOutcome.Percent(fraction);
}
