using Shatter.Corruptions;
using Shatter.Measures;
using Shatter.Training;
using Shatter.Results;

namespace Shatter.Reporting;

/// <summary>
/// The analysis behind the report's "Traditional complexity measures" section, as pure functions: runs with
/// their measures in, rank correlations, per-noise series and margin histograms out.
/// </summary>
public static class MeasuresAnalysis
{
    /// <summary>One finished run with its stored measures.</summary>
    public sealed record MeasuredRun(string Hash, TrainConfig Config, TrainSummary Summary, MeasureFile Measures)
    {
        /// <summary>Generalization gap: final training accuracy − final test accuracy.</summary>
        public double Gap => Summary.FinalTrainAccuracy - Summary.FinalTestAccuracy;
    }

    /// <summary>The measures the section plots and ranks, with their labels (see docs/measures.md).</summary>
    public static readonly IReadOnlyList<(string Name, string Label)> Shown =
    [
        ("frobenius_product_over_margin", "∏‖W‖_F / γ"),
        ("spectral_product_over_margin", "∏‖W‖σ / γ"),
        ("spectral_complexity_over_margin", "spectral complexity R / γ"),
        ("path_norm_over_margin", "ℓ2 path norm / γ"),
        ("distance_from_init", "‖w − w₀‖"),
        ("frobenius_sum", "Σ‖W‖_F"),
        ("spectral_complexity", "spectral complexity R"),
        ("pac_bayes_inverse_sigma_sq", "1/σ′² (PAC-Bayes)"),
        ("pac_bayes_mag_inverse_sigma_sq", "1/σ′² (magnitude-aware)"),
        ("pac_bayes_bound_term", "PAC-Bayes bound term"),
        ("sharpness", "sharpness"),
    ];

    /// <summary>
    /// Kendall's τ-b between xs and ys (pairs with a NaN left out): (concordant − discordant) / √((n₀ − tx)(n₀ − ty)),
    /// n₀ the number of pairs, tx and ty the pairs tied in x and in y. NaN with fewer than 2 pairs or a constant side.
    /// </summary>
    public static double KendallTau(IReadOnlyList<double> xs, IReadOnlyList<double> ys)
    {
        var pairs = xs.Zip(ys).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second)).ToList();
        long concordant = 0, discordant = 0, tiesX = 0, tiesY = 0, n0 = 0;
        for (int i = 0; i < pairs.Count; i++)
            for (int j = i + 1; j < pairs.Count; j++)
            {
                n0++;
                int dx = Math.Sign(pairs[i].First - pairs[j].First), dy = Math.Sign(pairs[i].Second - pairs[j].Second);
                if (dx == 0) tiesX++;
                if (dy == 0) tiesY++;
                if (dx * dy > 0) concordant++;
                else if (dx * dy < 0) discordant++;
            }
        double denominator = Math.Sqrt((double)(n0 - tiesX) * (n0 - tiesY));
        return denominator > 0 ? (concordant - discordant) / denominator : double.NaN;
    }

    /// <summary>τ between each shown measure and the generalization gap, over the runs that have it.</summary>
    public static List<(string Name, string Label, double Tau, int Runs)> TauWithGap(IReadOnlyList<MeasuredRun> runs) =>
        [.. Shown.Select(m =>
        {
            var with = runs.Where(r => r.Measures.Value(m.Name) is { } v && double.IsFinite(v)).ToList();
            return (m.Name, m.Label, KendallTau([.. with.Select(r => r.Measures.Value(m.Name)!.Value)], [.. with.Select(r => r.Gap)]), with.Count);
        })];

    /// <summary>
    /// For runs with true inputs: per label-noise level (ascending), the mean over seeds of a measure, divided by its
    /// mean at the lowest level (so every measure starts at 1). Levels where it is missing are left out.
    /// </summary>
    public static List<(double Noise, double Relative, double Absolute)> AgainstNoise(IReadOnlyList<MeasuredRun> runs, string measure)
    {
        var levels = runs.Where(r => r.Config.Inputs == InputMode.True)
            .GroupBy(r => r.Config.LabelNoise).OrderBy(g => g.Key)
            .Select(g => (Noise: g.Key, Mean: Spread.Of(g.Select(r => r.Measures.Value(measure) ?? double.NaN)).Mean))
            .Where(p => double.IsFinite(p.Mean)).ToList();
        if (levels.Count == 0 || levels[0].Mean == 0) return [];
        return [.. levels.Select(p => (p.Noise, p.Mean / levels[0].Mean, p.Mean))];
    }

    /// <summary>
    /// A histogram (bin centres, fraction per bin) of a distribution given by its 101 percentiles: each of the
    /// 100 percentile intervals holds 1% of the values, spread evenly over the bins it overlaps.
    /// </summary>
    public static (double[] Centres, double[] Fractions) Histogram(IReadOnlyList<double> percentiles, double low, double high, int bins)
    {
        var fractions = new double[bins];
        double width = (high - low) / bins;
        for (int q = 0; q + 1 < percentiles.Count; q++)
        {
            double a = percentiles[q], b = percentiles[q + 1], mass = 1.0 / (percentiles.Count - 1);
            if (b <= a) { fractions[Math.Clamp((int)((a - low) / width), 0, bins - 1)] += mass; continue; }
            for (int i = 0; i < bins; i++)
            {
                double lo = low + i * width, hi = lo + width, overlap = Math.Min(b, hi) - Math.Max(a, lo);
                if (overlap > 0) fractions[i] += mass * overlap / (b - a);
            }
        }
        return ([.. Enumerable.Range(0, bins).Select(i => low + (i + 0.5) * width)], fractions);
    }
}
