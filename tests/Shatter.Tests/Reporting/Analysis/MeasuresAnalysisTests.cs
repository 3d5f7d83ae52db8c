using Shatter.Reporting;
using Shatter.Reporting.Analysis;

namespace Shatter.Tests.Reporting.Analysis;

public sealed class MeasuresAnalysisTests
{
    [Fact]
    public void Kendall_tau_counts_concordant_and_discordant_pairs()
    {
        Assert.Equal(1, MeasuresAnalysis.KendallTau([1, 2, 3, 4], [10, 20, 30, 40]), 12);
        Assert.Equal(-1, MeasuresAnalysis.KendallTau([1, 2, 3, 4], [4, 3, 2, 1]), 12);
        // pairs: (1,2)+ (1,3)+ (1,4)+ (2,3)− (2,4)+ (3,4)+ → (5 − 1) / 6
        Assert.Equal(4.0 / 6, MeasuresAnalysis.KendallTau([1, 2, 3, 4], [1, 3, 2, 4]), 12);
        // τ-b with a tie in y: 6 pairs, 1 tied in y; concordant 5, discordant 0 → 5 / √(6·5)
        Assert.Equal(5 / Math.Sqrt(30), MeasuresAnalysis.KendallTau([1, 2, 3, 4], [1, 2, 2, 3]), 12);
        Assert.True(double.IsNaN(MeasuresAnalysis.KendallTau([1, 1, 1], [1, 2, 3])));
        Assert.Equal(1, MeasuresAnalysis.KendallTau([1, double.NaN, 3], [1, 5, 2]), 12); // the NaN pair is left out
    }

    [Fact]
    public void Histogram_of_percentiles_spreads_one_percent_per_interval_and_sums_to_one()
    {
        var uniform = Enumerable.Range(0, 101).Select(i => i / 100.0).ToArray(); // U(0, 1)
        var (centres, fractions) = MeasuresAnalysis.Histogram(uniform, 0, 1, 4);
        Assert.Equal([0.125, 0.375, 0.625, 0.875], centres);
        Assert.All(fractions, f => Assert.Equal(0.25, f, 9));
        var point = Enumerable.Repeat(0.35, 101).ToArray(); // every value 0.35
        var (_, mass) = MeasuresAnalysis.Histogram(point, 0, 1, 10);
        Assert.Equal(1, mass[3], 9);
        Assert.Equal(1, mass.Sum(), 9);
    }

    static MeasuresAnalysis.MeasuredRun Measured(double noise, long seed, double test, double measure, double[]? margins = null) =>
        new($"{noise}-{seed}", new Shatter.Training.TrainConfig { LabelNoise = noise, Seed = seed }, new Shatter.Training.TrainSummary { FinalTrainAccuracy = 1, FinalTestAccuracy = test },
            new Shatter.Results.MeasureFile
            {
                Values = new(MeasuresAnalysis.Shown.ToDictionary(m => m.Name, m => (double?)measure)),
                Series = margins is null ? new() : new() { ["normalized_margin_percentiles"] = margins },
            });

    [Fact]
    public void Findings_rank_the_measures_by_tau_state_their_growth_with_the_noise_and_compare_the_median_margins()
    {
        // every measure 1, 2, 4 at noise 0, 0.5, 1 (two seeds each), as the gap 0.2, 0.5, 0.9: τ = 1 over 6 runs (3 tied pairs)
        double[] Margins(double median) => [.. Enumerable.Range(0, 101).Select(i => median * i / 50.0)];
        var runs = new[]
        {
            Measured(0, 1, 0.8, 1, Margins(0.04)), Measured(0, 2, 0.8, 1, Margins(0.02)), Measured(0.5, 1, 0.5, 2), Measured(0.5, 2, 0.5, 2),
            Measured(1, 1, 0.1, 4, Margins(0.01)), Measured(1, 2, 0.1, 4, Margins(0.01)),
        };
        var findings = MeasuresAnalysis.Findings(runs);
        Assert.Equal($"Kendall's τ with the generalization gap over 6 runs: {string.Join(", ", MeasuresAnalysis.Shown.Select(m => m.Label + " 1.00"))}.", findings[0]);
        Assert.Equal("∏‖W‖_F / γ: ×4.00 from label noise 0 to 1 (rising with the noise).", findings[1]);
        Assert.Equal(6, findings.Count);   // τ, the first four measures, the margins
        Assert.Equal("median normalized margin: 0.03 with true labels, 0.01 with random labels (3.0× larger with true labels).", findings[^1]);
    }
}
