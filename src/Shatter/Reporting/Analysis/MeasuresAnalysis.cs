using System.Globalization;
using Shatter.Corruptions;
using Shatter.Measures;
using Shatter.Results;
using Shatter.Training;

namespace Shatter.Reporting.Analysis;

/// <summary>
/// The analysis behind the report's "Traditional complexity measures" section, as pure functions: runs with
/// their measures in, rank correlations, per-noise series, margin histograms and findings out; and the findings
/// of the Rademacher and shattering results.
/// </summary>
public static class MeasuresAnalysis
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    const string MarginPercentiles = "normalized_margin_percentiles";

    /// <summary>One finished run with its stored measures.</summary>
    public sealed record MeasuredRun(string Hash, TrainConfig Config, TrainSummary Summary, MeasureFile Measures)
    {
        /// <summary>Generalization gap: final training accuracy − final test accuracy.</summary>
        public double Gap => Summary.FinalTrainAccuracy - Summary.FinalTestAccuracy;
    }

    /// <summary>One shown measure against label noise: per level (ascending) its mean over seeds, that mean relative to the lowest level's, and the runs at the level.</summary>
    public sealed record NoiseSeries(string Name, string Label, IReadOnlyList<(double Noise, double Relative, double Absolute, int Runs)> Points);

    /// <summary>One run's normalized-margin distribution as a histogram: its labels ("true labels" or "random labels"), the run, bin centres and fractions.</summary>
    public sealed record MarginHistogram(string Labels, MeasuredRun Run, double[] Centres, double[] Fractions);

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

    /// <summary>The finished runs with stored measures, each stored run once.</summary>
    public static IReadOnlyList<MeasuredRun> Measured(IReadOnlyList<ReportRun> distinct, IReadOnlyDictionary<string, MeasureFile> stored) =>
        [.. distinct.Where(r => r.Done && stored.ContainsKey(r.Record.Hash)).Select(r => new MeasuredRun(r.Record.Hash, r.Config, r.Summary!, stored[r.Record.Hash]))];

    /// <summary>Every shown measure that has values at some label-noise level, against the noise (<see cref="AgainstNoise(IReadOnlyList{MeasuredRun}, string)"/>).</summary>
    public static IReadOnlyList<NoiseSeries> AgainstNoise(IReadOnlyList<MeasuredRun> runs) =>
        [.. Shown.Select(m => new NoiseSeries(m.Name, m.Label, [.. AgainstNoise(runs, m.Name)
                .Select(p => (p.Noise, p.Relative, p.Absolute, runs.Count(r => r.Config.Inputs == InputMode.True && r.Config.LabelNoise == p.Noise)))]))
            .Where(s => s.Points.Count > 0)];

    /// <summary>
    /// The normalized margins of the true-label and random-label runs (true inputs) with all 101 percentiles stored, as
    /// histograms of <paramref name="bins"/> bins over their common range (from 0 or below); none unless both kinds are there.
    /// </summary>
    public static IReadOnlyList<MarginHistogram> Margins(IReadOnlyList<MeasuredRun> runs, int bins = 40)
    {
        var (truth, random) = MarginGroups(runs);
        if (truth.Count == 0 || random.Count == 0) return [];
        var all = truth.Concat(random).SelectMany(r => r.Measures.Series[MarginPercentiles]).Where(double.IsFinite).ToList();
        if (all.Count == 0) return [];
        double low = Math.Min(0, all.Min()), high = all.Max();
        return [.. truth.Select(r => ("true labels", r)).Concat(random.Select(r => ("random labels", r))).Select(p =>
        {
            var (centres, fractions) = Histogram(p.r.Measures.Series[MarginPercentiles], low, high, bins);
            return new MarginHistogram(p.Item1, p.r, centres, fractions);
        })];
    }

    /// <summary>The runs with true inputs and all 101 margin percentiles: true labels, and random labels.</summary>
    static (List<MeasuredRun> Truth, List<MeasuredRun> Random) MarginGroups(IReadOnlyList<MeasuredRun> runs)
    {
        var with = runs.Where(r => r.Config.Inputs == InputMode.True && r.Measures.Series.GetValueOrDefault(MarginPercentiles) is { Length: 101 }).ToList();
        return ([.. with.Where(r => r.Config.LabelNoise == 0)], [.. with.Where(r => r.Config.LabelNoise >= 1)]);
    }

    /// <summary>
    /// What the measured runs show: Kendall's τ of every measure with the generalization gap, the first four measures'
    /// growth from the lowest to the highest label noise, and the median normalized margin with true against random labels.
    /// </summary>
    public static IReadOnlyList<string> Findings(IReadOnlyList<MeasuredRun> runs)
    {
        var findings = new List<string>();
        var ranked = TauWithGap(runs).Where(t => double.IsFinite(t.Tau)).OrderByDescending(t => t.Tau).ToList();
        if (ranked.Count > 0)
            findings.Add(string.Create(Inv, $"Kendall's τ with the generalization gap over {ranked.Max(t => t.Runs)} runs: {string.Join(", ", ranked.Select(t => $"{t.Label} {t.Tau:0.00}"))}."));
        foreach (var (name, label) in Shown.Take(4))
        {
            var s = AgainstNoise(runs, name);
            if (s.Count >= 2)
                findings.Add(string.Create(Inv, $"{label}: ×{s[^1].Relative:0.00} from label noise {s[0].Noise} to {s[^1].Noise} ({(s.Zip(s.Skip(1)).All(p => p.Second.Absolute >= p.First.Absolute) ? "rising with the noise" : "not monotone in the noise")})."));
        }
        if (Margins(runs).Count > 0)
        {
            var (truth, random) = MarginGroups(runs);
            double mt = truth.Average(r => r.Measures.Series[MarginPercentiles][50]);
            double mr = random.Average(r => r.Measures.Series[MarginPercentiles][50]);
            findings.Add(string.Create(Inv, $"median normalized margin: {mt:G3} with true labels, {mr:G3} with random labels ({(mt <= mr ? "not larger with true labels" : mr > 0 ? $"{mt / mr:0.0}× larger with true labels" : "larger with true labels")})."));
        }
        return findings;
    }

    /// <summary>Per Rademacher result, at its largest budget: R̂ and what the bound it implies is worth.</summary>
    public static IReadOnlyList<string> RademacherFindings(IReadOnlyList<RademacherResult> results) =>
        [.. results.Select(r =>
        {
            var p = r.Budgets[^1];
            return string.Create(Inv, $"{r.Model} on {r.TrainSize} {r.Dataset} images: R̂ = {p.Mean:0.000} (±{p.StdDev:0.000}, {r.Draws} draws, ≤ {p.Epochs} epochs), so the Rademacher bound adds {p.BoundGap:0.000} to the training error: {RademacherExperiment.Verdict(p.BoundGap)}.");
        })];

    /// <summary>Per shattering result: how many labellings were fitted, and whether that shatters the points.</summary>
    public static IReadOnlyList<string> ShatteringFindings(IReadOnlyList<ShatteringResult> results) =>
        [.. results.Select(r => string.Create(Inv, $"{r.Model} ({r.Parameters} parameters) fitted {r.Fitted} of {r.Labellings} labellings of {r.N} points in {r.D}-D{(r.Shattered ? $": shattered, VC ≥ {r.N}" : r.AllLabellings ? ": not shattered by what training found" : "")}."))];
}
