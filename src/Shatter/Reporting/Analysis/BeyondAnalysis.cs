using System.Globalization;
using Shatter.Corruptions;

namespace Shatter.Reporting.Analysis;

/// <summary>
/// One model of the beyond-the-paper spec on true and on random labels, over its seeds: epochs to fit each (of the runs that
/// fitted), random labels' time to fit relative to true labels' of the same seed (an unfitted random-label run counts with
/// the steps it ran: a lower bound), test accuracy of each, and chance.
/// </summary>
public sealed record BeyondModel(string Model, IReadOnlyList<ReportRun> TrueLabels, IReadOnlyList<ReportRun> RandomLabels, Spread TrueEpochs, Spread RandomEpochs,
    Spread Slowdown, Spread TrueTest, Spread RandomTest, double Chance)
{
    public bool TrueFitted => TrueLabels.Count > 0 && TrueLabels.All(r => r.Fitted);
    public bool RandomFitted => RandomLabels.Count > 0 && RandomLabels.All(r => r.Fitted);
}

/// <summary>
/// The analysis of experiments/beyond.yaml (a ViT and recurrent networks beside the paper's MLP), pure functions of finished
/// runs: per model, whether it fitted random labels, the slowdown against true labels and the test accuracies, and the
/// findings beside the paper's claim for its own models — random labels are fitted within a small constant factor of true
/// labels' time, and test at chance (Figure 1b, Table 1).
/// </summary>
public static class BeyondAnalysis
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Every model with true-label or random-label runs (true inputs), in grid order.</summary>
    public static IReadOnlyList<BeyondModel> Models(IReadOnlyList<ReportRun> runs)
    {
        var done = runs.Where(r => r.Done && r.Config.Inputs == InputMode.True).ToList();
        var models = new List<BeyondModel>();
        foreach (var g in done.GroupBy(r => r.Model).OrderBy(g => g.Min(r => r.Record.Order)))
        {
            var trueLabels = g.Where(r => r.Config.LabelNoise == 0).ToList();
            var randomLabels = g.Where(r => r.Config.LabelNoise >= 1).ToList();
            if (trueLabels.Count == 0 && randomLabels.Count == 0) continue;
            var reference = trueLabels.Where(r => r.Fitted).GroupBy(r => r.Config.Seed).ToDictionary(s => s.Key, s => (double)s.First().Summary!.StepsToFit!.Value);
            var slowdown = Spread.Of(randomLabels.Where(r => reference.ContainsKey(r.Config.Seed))
                .Select(r => (r.Summary!.StepsToFit ?? r.Summary.Steps) / reference[r.Config.Seed]));
            models.Add(new BeyondModel(g.Key, trueLabels, randomLabels, Epochs(trueLabels), Epochs(randomLabels), slowdown,
                Spread.Of(trueLabels.Select(r => r.Summary!.FinalTestAccuracy)), Spread.Of(randomLabels.Select(r => r.Summary!.FinalTestAccuracy)), g.First().ChanceAccuracy));
        }
        return models;
    }

    /// <summary>
    /// Per model with both kinds of runs: ✓ when every random-label seed fitted within <see cref="Figure1Analysis.SmallFactor"/>
    /// times the steps of true labels, else ✗; with the epochs, the slowdown, the test accuracies, and the paper's claim (with
    /// its Table 1 numbers for a model of the paper's).
    /// </summary>
    public static IReadOnlyList<string> Findings(IReadOnlyList<BeyondModel> models)
    {
        var lines = new List<string>();
        foreach (var m in models.Where(m => m.TrueLabels.Count > 0 && m.RandomLabels.Count > 0))
        {
            bool ok = m.RandomFitted && m.Slowdown.Count > 0 && m.Slowdown.Max <= Figure1Analysis.SmallFactor;
            var random = m.RandomFitted ? $"fitted random labels in {Epochs(m.RandomEpochs)}" : $"did not fit random labels ({Outcomes(m.RandomLabels)})";
            var truth = m.TrueFitted ? $"{Epochs(m.TrueEpochs)} for true labels" : $"true labels: {Outcomes(m.TrueLabels)}";
            var slowdown = m.Slowdown.Count == 0 ? "" : string.Create(Inv, $", {(m.RandomFitted ? "" : "at least ")}{m.Slowdown.Mean:0.00}×{Range(m.Slowdown, "0.00")} the steps");
            var paper = PaperTable1.Find(m.Model, false, false, true) is { } row
                ? string.Create(Inv, $"paper (Table 1, CIFAR-10): {m.Model} fits random labels, {row.Train:0.##}% training and {row.Test:0.##}% test accuracy, within a small constant factor of true labels' time")
                : $"paper, for its own models: random labels are fitted within a small constant factor of true labels' time (here at most {Figure1Analysis.SmallFactor:0}×) and test at chance";
            lines.Add(string.Create(Inv,
                $"{(ok ? "✓" : "✗")} {m.Model}: {random} against {truth}{slowdown}; test accuracy {Percent(m.RandomTest)} against {Percent(m.TrueTest)} with true labels (chance {RunOutcome.Percent(m.Chance)}); {paper}."));
        }
        return lines;
    }

    static Spread Epochs(IEnumerable<ReportRun> runs) => Spread.Of(runs.Where(r => r.Fitted).Select(r => (double)r.Summary!.EpochsToFit!.Value));

    /// <summary>"59 epochs", or "59 epochs (seeds 55–63)".</summary>
    static string Epochs(Spread s) => string.Create(Inv, $"{s.Mean:0} epochs{Range(s, "0")}");

    static string Percent(Spread s) => RunOutcome.Percent(s.Mean) + (s.Min != s.Max ? $" (seeds {RunOutcome.Percent(s.Min)}–{RunOutcome.Percent(s.Max)})" : "");

    static string Range(Spread s, string format) => s.Count > 1 && s.Min != s.Max ? $" (seeds {s.Min.ToString(format, Inv)}–{s.Max.ToString(format, Inv)})" : "";

    /// <summary>Each seed's outcome ("did not fit within the cap of 200 epochs (98.3% training accuracy)"), joined.</summary>
    static string Outcomes(IReadOnlyList<ReportRun> runs) =>
        string.Join("; ", runs.Select(r => (runs.Count > 1 ? $"seed {r.Config.Seed.ToString(Inv)} " : "") + RunOutcome.Describe(r.Config, r.Summary!)));
}
