using System.Globalization;
using Shatter.Corruptions;
using Shatter.Training;

namespace Shatter.Reporting.Analysis;

/// <summary>One (model, mode, P) point of the structured-noise spec, over its seeds.</summary>
public sealed record NoisePoint(string Model, string Mode, double P, int Runs, Spread TestError, Spread RelativeTimeToFit, Spread RealizedFlipRate, bool AllFitted);

/// <summary>
/// The analysis of the structured-noise spec (experiments/noise.yaml), pure functions of finished runs:
/// test error, time to fit relative to the true-label run of the same model and seed, and the realized
/// flip rate, per (model, noise mode, P); the realized transition matrix of a mode summed over its runs;
/// and the findings. The true-label runs (P = 0) belong to every mode's curve.
/// </summary>
public static class NoiseAnalysis
{
    public static string ModeOf(TrainConfig c) => LabelNoise.Name(c.LabelNoiseMode);

    public static IReadOnlyList<NoisePoint> Points(IReadOnlyList<(TrainConfig Config, TrainSummary Summary)> runs)
    {
        var reference = runs.Where(r => r.Config.LabelNoise == 0 && r.Summary.StepsToFit is > 0)
            .GroupBy(r => (r.Config.Model, r.Config.Seed)).ToDictionary(g => g.Key, g => (double)g.First().Summary.StepsToFit!.Value);
        var modes = runs.Where(r => r.Config.LabelNoise > 0).Select(r => ModeOf(r.Config)).Distinct().ToList();
        var points = new List<NoisePoint>();
        foreach (var model in runs.Select(r => r.Config.Model).Distinct())
            foreach (var mode in modes)
            {
                // the true-label runs start every mode's curve
                var ofMode = runs.Where(r => r.Config.Model == model && (r.Config.LabelNoise == 0 || ModeOf(r.Config) == mode)).ToList();
                foreach (var p in ofMode.Select(r => r.Config.LabelNoise).Distinct().Order())
                {
                    var at = ofMode.Where(r => r.Config.LabelNoise == p).ToList();
                    // an unfitted run counts with the steps it ran: a lower bound (AllFitted says so)
                    var rel = Spread.Of(at.Where(r => reference.ContainsKey((model, r.Config.Seed)))
                        .Select(r => (r.Summary.StepsToFit ?? r.Summary.Steps) / reference[(model, r.Config.Seed)]));
                    points.Add(new NoisePoint(model, mode, p, at.Count, Spread.Of(at.Select(r => 1 - r.Summary.FinalTestAccuracy)), rel,
                        Spread.Of(at.Select(r => r.Summary.FractionLabelsChanged)), at.All(r => r.Summary.Fitted)));
                }
            }
        return points;
    }

    /// <summary>Row-normalized sum of the realized transition counts of <paramref name="runs"/> (C×C); null when none recorded one.</summary>
    public static double[,]? Transition(IEnumerable<TrainSummary> runs)
    {
        double[,]? sum = null;
        foreach (var t in runs.Select(s => s.LabelTransition).Where(t => t is { Length: > 0 }))
        {
            int c = t!.Length;
            sum ??= new double[c, c];
            if (sum.GetLength(0) != c) continue; // another dataset: not summed
            for (int i = 0; i < c; i++)
                for (int j = 0; j < c; j++)
                    sum[i, j] += t[i][j];
        }
        if (sum is null) return null;
        int k = sum.GetLength(0);
        for (int i = 0; i < k; i++)
        {
            double row = 0;
            for (int j = 0; j < k; j++) row += sum[i, j];
            if (row > 0)
                for (int j = 0; j < k; j++) sum[i, j] /= row;
        }
        return sum;
    }

    /// <summary>Per noise mode (in order of appearance), the realized transition matrix at its largest P, summed over models and seeds; modes without one are left out.</summary>
    public static IReadOnlyList<(string Mode, double P, double[,] Matrix)> Transitions(IReadOnlyList<(TrainConfig Config, TrainSummary Summary)> runs)
    {
        var list = new List<(string, double, double[,])>();
        foreach (var mode in runs.Where(r => r.Config.LabelNoise > 0).Select(r => ModeOf(r.Config)).Distinct())
        {
            var ofMode = runs.Where(r => r.Config.LabelNoise > 0 && ModeOf(r.Config) == mode).ToList();
            double pMax = ofMode.Max(r => r.Config.LabelNoise);
            if (Transition(ofMode.Where(r => r.Config.LabelNoise == pMax).Select(r => r.Summary)) is { } matrix) list.Add((mode, pMax, matrix));
        }
        return list;
    }

    /// <summary>One sentence per (model, mode): test error and time to fit at the largest P, against uniform noise's at the same P.</summary>
    public static IReadOnlyList<string> Findings(IReadOnlyList<NoisePoint> points)
    {
        var inv = CultureInfo.InvariantCulture;
        var lines = new List<string>();
        foreach (var g in points.Where(p => p.P > 0).GroupBy(p => p.Model))
        {
            var pMax = g.Max(p => p.P);
            var top = g.Where(p => p.P == pMax).OrderBy(p => p.Mode, StringComparer.Ordinal).ToList();
            var uniform = top.FirstOrDefault(p => p.Mode == "uniform");
            foreach (var p in top)
            {
                string fit = p.RelativeTimeToFit.Count == 0 ? "no true-label reference to time against"
                    : string.Create(inv, $"{(p.AllFitted ? "" : "did not fit in its budget, ≥ ")}{p.RelativeTimeToFit.Mean:0.0}× the steps of true labels");
                string vs = uniform is null || uniform == p ? ""
                    : string.Create(inv, $"; test error {(p.TestError.Mean > uniform.TestError.Mean ? "above" : "at or below")} uniform noise's {uniform.TestError.Mean * 100:0.#}%");
                lines.Add(string.Create(inv,
                    $"{g.Key}, {p.Mode} noise at P = {p.P}: realized flip rate {p.RealizedFlipRate.Mean * 100:0.#}%, test error {p.TestError.Mean * 100:0.#}%, {fit}{vs}."));
            }
        }
        return lines;
    }
}
