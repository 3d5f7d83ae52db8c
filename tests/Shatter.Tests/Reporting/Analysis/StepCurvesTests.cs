using Shatter.Reporting.Analysis;

namespace Shatter.Tests.Reporting.Analysis;

public sealed class StepCurvesTests
{
    static IReadOnlyList<(double X, double Y)> Flat(int steps, double y) => [.. Enumerable.Range(1, steps).Select(s => ((double)s, y))];

    [Fact]
    public void Runs_of_different_lengths_are_averaged_at_the_same_step_not_the_same_index()
    {
        // seed A stops (fits) at step 100 with loss 1, seed B runs to step 200 with loss 3
        var curve = StepCurves.Align([Flat(100, 1), Flat(200, 3)]);
        var at50 = curve.Single(p => p.X == 50);
        Assert.Equal((2.0, 1.0, 3.0, 2), (at50.Mean, at50.Min, at50.Max, at50.Runs));
        var at150 = curve.Single(p => p.X == 150);
        Assert.Equal((3.0, 3.0, 3.0, 1), (at150.Mean, at150.Min, at150.Max, at150.Runs));
        Assert.Equal(200, curve[^1].X);  // the curve goes on to the longest run
    }

    [Fact]
    public void Binned_curves_share_their_bins_whatever_each_run_length()
    {
        // the old binning took 1/400 of each run: a 100-step and a 200-step run got bins of different widths
        var curve = StepCurves.Align([Flat(100, 1), Flat(200, 3)], binWidth: 50);
        Assert.Equal([25.0, 75, 125, 175], curve.Select(p => p.X));
        Assert.Equal([2.0, 2, 3, 3], curve.Select(p => p.Mean));
        Assert.Equal([2, 2, 1, 1], curve.Select(p => p.Runs));
    }

    [Fact]
    public void A_bin_width_covers_the_longest_run_in_about_400_bins_and_is_zero_for_short_runs()
    {
        Assert.Equal(30, StepCurves.BinWidth([12_000, 3_000]));
        Assert.Equal(0, StepCurves.BinWidth([500]));
    }
}
