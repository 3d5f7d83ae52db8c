using Shatter.Reporting.Analysis;
using Shatter.Theory;

namespace Shatter.Tests.Reporting.Analysis;

public sealed class TheoryAnalysisTests
{
    static KernelResult Kernel(string features, int n, double noise, double trainError, double testError, double norm) =>
        new("fashion-mnist", features, "gaussian", 0.02, n, 100, 784, 10, noise, noise * 0.9, "float64", 0, trainError, testError, norm, 1e-12, 0, 0.1, 0.1, 0.1, 0.1, 1);

    static ExpressivityResult Theorem1(int n, bool exact, bool exact32)
    {
        var fit = new Theorem1Fit("float64", n, 20, 2 * n + 20, true, exact ? 0 : 0.5, 0, exact ? 1 : 0.5, exact, 0.1, 0.01, 1e3, 10, 0.1);
        return new ExpressivityResult("gaussian points", n, 20, 2 * n + 20, 10, 0, fit.RelativeResidual, 0.01, exact, exact32, fit, fit, null, null);
    }

    [Fact]
    public void Kernel_rows_form_one_curve_per_feature_map_and_size_ordered_by_noise()
    {
        var series = TheoryAnalysis.Kernel([Kernel("pixels", 200, 1, 0, 0.9, 20), Kernel("random-conv (32 filters)", 200, 0, 0, 0.3, 9), Kernel("pixels", 200, 0, 0, 0.2, 13)]);
        Assert.Equal(["pixels, n = 200", "random-conv, n = 200"], series.Select(s => s.Label));
        Assert.Equal([0.0, 1.0], series[0].Rows.Select(r => r.LabelNoise));
    }

    [Fact]
    public void A_norm_that_grows_with_the_noise_of_interpolating_fits_agrees_with_the_paper_and_one_that_does_not_differs()
    {
        var grows = TheoryAnalysis.Findings([Kernel("pixels", 200, 0, 0, 0.24, 13.09), Kernel("pixels", 200, 1, 0, 0.93, 20.73)], []);
        Assert.Equal(["✓ kernel pixels, n = 200: every fit interpolates its labels; from label noise 0 to 1 the test error goes 24.0% → 93.0% and the RKHS norm 13.1 → 20.7 (paper: fitting random labels takes a significantly larger norm)."], grows);
        var shrinks = TheoryAnalysis.Findings([Kernel("pixels", 200, 0, 0.01, 0.24, 13), Kernel("pixels", 200, 1, 0, 0.93, 12)], []);
        Assert.StartsWith("✗ kernel pixels, n = 200: not every fit interpolates its labels;", shrinks.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Theorem1_counts_the_exact_constructions()
    {
        var all = TheoryAnalysis.Findings([], [Theorem1(100, true, true), Theorem1(1000, true, false)]);
        Assert.Equal(["✓ Theorem 1: the two-layer ReLU network with 2n + d weights fits every label exactly in float64 in 2 of 2 constructions (n = 100, 1,000), in float32 in 1; paper: it represents any labels of n points."], all);
        Assert.StartsWith("✗ ", TheoryAnalysis.Findings([], [Theorem1(100, false, false)]).Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Tiny_residuals_keep_their_digits_in_the_csv()
    {
        Assert.Equal("1.2E-15", Shatter.Reporting.CsvTable.Format(1.2e-15));
        Assert.Equal("0.000123", Shatter.Reporting.CsvTable.Format(0.000123));
        Assert.Equal("0.25", Shatter.Reporting.CsvTable.Format(0.25));
        Assert.Equal("0", Shatter.Reporting.CsvTable.Format(0.0));
    }
}
