using System.Globalization;
using Shatter.Corruptions;
using Shatter.Training;

namespace Shatter.Reporting.Analysis;

/// <summary>
/// One (model, randomization mode, noise level) point of a regression spec, over seeds: training and test MSE (in units of
/// the training targets' variance) and R² at the end, epochs and wall seconds to fit (of the fitted runs), and how many fitted.
/// </summary>
public sealed record RegressionPoint(string Model, string Mode, double Level, int Runs, Spread TrainMse, Spread TestMse, Spread TrainR2, Spread TestR2,
    Spread EpochsToFit, Spread SecondsToFit, int Fitted);

/// <summary>
/// The analysis of the regression randomization tests (experiments/regression.yaml), pure functions of finished runs:
/// MSE and R² against the noise level per mode — shuffled targets and Gaussian targets (level: the fraction P of targets
/// changed) and random inputs (level 1) — with the true-target runs (level 0) at the start of every mode's curve; time
/// to fit; and the findings, the slides' one hidden layer of 10 next to the wide networks.
/// </summary>
public static class RegressionAnalysis
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The randomization a run applies: "shuffled targets", "gaussian targets", "random inputs" or "true targets".</summary>
    public static string ModeOf(TrainConfig c) =>
        c.Inputs is InputMode.Random or InputMode.Gaussian ? "random inputs"
        : c.LabelNoise == 0 ? "true targets"
        : c.TargetNoiseMode == TargetNoiseMode.Gaussian ? "gaussian targets" : "shuffled targets";

    static double LevelOf(TrainConfig c) => ModeOf(c) switch { "random inputs" => 1, "true targets" => 0, _ => c.LabelNoise };

    public static IReadOnlyList<RegressionPoint> Points(IReadOnlyList<(TrainConfig Config, TrainSummary Summary)> runs)
    {
        var points = new List<RegressionPoint>();
        var modes = runs.Select(r => ModeOf(r.Config)).Where(m => m != "true targets").Distinct().Order(StringComparer.Ordinal).ToList();
        if (modes.Count == 0) modes.Add("true targets");
        foreach (var model in runs.Select(r => r.Config.Model).Distinct())
            foreach (var mode in modes)
            {
                var ofMode = runs.Where(r => r.Config.Model == model && (ModeOf(r.Config) == mode || ModeOf(r.Config) == "true targets")).ToList();
                foreach (var level in ofMode.Select(r => LevelOf(r.Config)).Distinct().Order())
                {
                    var at = ofMode.Where(r => LevelOf(r.Config) == level).ToList();
                    var fitted = at.Where(r => r.Summary.Fitted).ToList();
                    points.Add(new RegressionPoint(model, mode, level, at.Count,
                        Spread.Of(at.Select(r => r.Summary.FinalTrainLoss)), Spread.Of(at.Select(r => r.Summary.FinalTestLoss)),
                        Spread.Of(at.Select(r => r.Summary.FinalTrainAccuracy)), Spread.Of(at.Select(r => r.Summary.FinalTestAccuracy)),
                        Spread.Of(fitted.Select(r => (double)r.Summary.EpochsToFit!.Value)), Spread.Of(fitted.Select(r => r.Summary.WallSeconds)), fitted.Count));
                }
            }
        return points;
    }

    /// <summary>
    /// Per model: what it fitted (of the settings at each mode's largest level, and the true targets) and its test R² there;
    /// then the narrowest model against the widest (by the width in its name): how many settings each fitted.
    /// </summary>
    public static IReadOnlyList<string> Findings(IReadOnlyList<RegressionPoint> points)
    {
        var findings = new List<string>();
        var settings = new Dictionary<string, (int Fitted, int Total)>();
        foreach (var g in points.GroupBy(p => p.Model))
        {
            var parts = new List<string>();
            var shown = g.Where(p => p.Level == 0).Take(1).Concat(g.Where(p => p.Level > 0).GroupBy(p => p.Mode).Select(m => m.MaxBy(p => p.Level)!)).ToList();
            foreach (var p in shown)
            {
                var what = p.Level == 0 ? "true targets" : p.Mode == "random inputs" ? p.Mode : string.Create(Inv, $"{p.Mode} (P = {p.Level})");
                parts.Add(p.Fitted == p.Runs && p.Runs > 0
                    ? string.Create(Inv, $"{what} fitted in {p.EpochsToFit.Mean:0} epochs, test R² {p.TestR2.Mean:0.00}")
                    : string.Create(Inv, $"{what} not fitted (training R² {p.TrainR2.Mean:0.00}, test R² {p.TestR2.Mean:0.00})"));
            }
            settings[g.Key] = (shown.Count(p => p.Fitted == p.Runs && p.Runs > 0), shown.Count);
            findings.Add($"{g.Key}: {string.Join("; ", parts)}.");
        }
        if (settings.Count > 1)
        {
            var narrow = settings.Keys.MinBy(Width)!;
            var wide = settings.Keys.MaxBy(Width)!;
            if (Width(narrow) < Width(wide))
                findings.Add(string.Create(Inv, $"The slides' narrow net {narrow} fitted {settings[narrow].Fitted} of {settings[narrow].Total} settings, the widest, {wide}, {settings[wide].Fitted} of {settings[wide].Total}."));
        }
        return findings;
    }

    /// <summary>Units of an mlp-* name ("mlp-10" → 10, "mlp-2x512" → 1024); 0 for other names.</summary>
    public static long Width(string model)
    {
        if (!model.StartsWith("mlp-", StringComparison.Ordinal)) return 0;
        long total = 1;
        foreach (var part in model[4..].Split('x'))
        {
            if (!long.TryParse(part, NumberStyles.None, Inv, out var v)) return 0;
            total *= v;
        }
        return total;
    }
}
