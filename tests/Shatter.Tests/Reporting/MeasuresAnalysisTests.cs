using Shatter.Reporting;

namespace Shatter.Tests.Reporting;

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
}
