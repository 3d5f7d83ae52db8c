using System.Globalization;

namespace Shatter.Reporting.Analysis;

/// <summary>One setting of Table 1 for one model: its seeds' final accuracies and the paper's row, if any.</summary>
public sealed record Table1Row(string Model, string Setting, bool Crop, bool WeightDecay, bool RandomLabels, IReadOnlyList<ReportRun> Runs, PaperTable1.Row? Paper)
{
    public Spread Train => Spread.Of(Runs.Select(r => r.Summary!.FinalTrainAccuracy));
    public Spread Test => Spread.Of(Runs.Select(r => r.Summary!.FinalTestAccuracy));
    public bool AllFitted => Runs.All(r => r.Fitted);
    /// <summary>No crop, no weight decay, true labels: the reference the regularizers are compared with.</summary>
    public bool Plain => !Crop && !WeightDecay && !RandomLabels;
}

/// <summary>
/// Table 1's analysis, pure functions of the runs: rows per model and setting beside the paper's numbers,
/// and the findings against the paper's pattern — regularizers help a little (each changes test accuracy by
/// a few points at most), none is necessary (the setting without any still fits), random labels still fit,
/// also with weight decay (except AlexNet, which the paper reports failing to converge then).
/// </summary>
public static class Table1Analysis
{
    /// <summary>A regularizer "helps a little" when it changes test accuracy by between −1 and +5 points (the paper's effects: −0.1 to +3.6).</summary>
    public const double SmallLoss = -0.01, SmallGain = 0.05;

    public static IReadOnlyList<Table1Row> Rows(IReadOnlyList<ReportRun> runs) =>
        [.. runs.Where(r => r.Done).GroupBy(r => (r.Model, Setting: r.Record.Point.GetValueOrDefault("regularization") ?? Setting(r)))
            .OrderBy(g => g.Min(r => r.Record.Order))
            .Select(g =>
            {
                var c = g.First().Config;
                bool random = c.LabelNoise >= 1, wd = c.WeightDecay > 0;
                return new Table1Row(g.Key.Model, g.Key.Setting, c.AugmentCrop, wd, random, [.. g], PaperTable1.Find(c.Model, c.AugmentCrop, wd, random));
            })];

    static string Setting(ReportRun r) => r.Config.LabelNoise >= 1 ? (r.Config.WeightDecay > 0 ? "random labels + weight decay" : "random labels")
        : (r.Config.AugmentCrop, r.Config.WeightDecay > 0) switch { (true, true) => "crop + weight decay", (true, false) => "crop", (false, true) => "weight decay", _ => "none" };

    public static IReadOnlyList<string> Findings(IReadOnlyList<ReportRun> runs)
    {
        var lines = new List<string>();
        var rows = Rows(runs);
        foreach (var model in rows.Select(r => r.Model).Distinct())
        {
            var of = rows.Where(r => r.Model == model).ToList();
            var plain = of.FirstOrDefault(r => r.Plain);
            if (plain is not null)
            {
                lines.Add(plain.AllFitted
                    ? $"✓ {model}: without any regularizer it still fits its training set ({Outcomes(plain)}); paper: no regularizer is necessary."
                    : $"✗ {model}: without any regularizer it {Outcomes(plain)}; paper: it fits without one.");
                foreach (var reg in of.Where(r => !r.RandomLabels && !r.Plain))
                {
                    double delta = reg.Test.Mean - plain.Test.Mean;
                    bool small = delta >= SmallLoss - 1e-9 && delta <= SmallGain + 1e-9;
                    var paper = reg.Paper is { } p && plain.Paper is { } q ? $"paper: {ReportText.Points((p.Test - q.Test) / 100)}" : "the paper has no such row";
                    lines.Add($"{(small ? "✓" : "✗")} {model}: {reg.Setting} changed test accuracy by {ReportText.Points(delta)} points ({RunOutcome.Percent(reg.Test.Mean)} vs {RunOutcome.Percent(plain.Test.Mean)} without; {paper}); " +
                        $"{(small ? "a small effect, as the paper finds" : "not the paper's small effect (−1 to +5 points)")}{(reg.AllFitted ? "" : $"; it {Outcomes(reg)}")}.");
                }
            }
            foreach (var random in of.Where(r => r.RandomLabels))
            {
                // paper §2 and Table 1: random labels fit, with weight decay too, except AlexNet with weight decay
                bool expectFit = !(random.WeightDecay && model == "alexnet");
                bool ok = random.AllFitted == expectFit;
                var claim = random.WeightDecay
                    ? expectFit ? "paper: Inception and the MLPs still fit random labels with weight decay" : "paper: AlexNet with weight decay fails to converge on random labels"
                    : "paper: random labels are fitted";
                lines.Add($"{(ok ? "✓" : "✗")} {model}: {random.Setting} {(random.AllFitted ? $"fitted ({Outcomes(random)})" : Outcomes(random))}, test accuracy {RunOutcome.Percent(random.Test.Mean)} (chance {RunOutcome.Percent(random.Runs[0].ChanceAccuracy)}); {claim}.");
            }
        }
        return lines;
    }

    /// <summary>Each seed's outcome: "fitted in 12 epochs" or "did not fit within the cap of 100 epochs (98.3% training accuracy)", joined.</summary>
    static string Outcomes(Table1Row row) =>
        string.Join("; ", row.Runs.Select(r => (row.Runs.Count > 1 ? $"seed {r.Config.Seed.ToString(CultureInfo.InvariantCulture)} " : "") + RunOutcome.Describe(r.Config, r.Summary!)));
}
