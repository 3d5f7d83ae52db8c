using Shatter.Reporting.Analysis;
using Shatter.Theory;

namespace Shatter.Reporting.Sections;

/// <summary>
/// Section 5 and Theorem 1: what <c>shatter kernel|expressivity --report DIR</c> saved in the results folder — test error
/// and RKHS norm against label noise with their table, and the Theorem 1 constructions (analysis in <see cref="TheoryAnalysis"/>).
/// </summary>
public sealed class TheorySection : IReportSection
{
    public string? Experiment => null;
    public string Title => "Theory: Theorem 1 and minimum-norm kernel interpolation";

    public bool Applies(ReportContext context) => TheoryReport.Kernel(context.ResultsFolder).Count > 0 || TheoryReport.Expressivity(context.ResultsFolder).Count > 0;

    public IReadOnlyList<string> Write(ReportContext context, ReportWriter w)
    {
        var kernel = TheoryReport.Kernel(context.ResultsFolder);
        var expressivity = TheoryReport.Expressivity(context.ResultsFolder);
        w.Heading(2, Title);
        if (kernel.Count > 0) Kernel(w, kernel);
        if (expressivity.Count > 0) Expressivity(w, expressivity);
        return TheoryAnalysis.Findings(kernel, expressivity);
    }

    static void Kernel(ReportWriter w, IReadOnlyList<KernelResult> rows)
    {
        var k = rows[0];
        w.Heading(3, "Kernel interpolation: error and norm against label noise");
        w.Paragraph($"{k.Dataset}, {k.TestSize} test images, kernel {k.Kernel}, ridge {CsvTable.Format(k.Ridge)}. Every fit interpolates its labels (training error 0); fitting noisier labels costs a larger RKHS norm and generalizes worse.");
        var error = new Chart("Test error", "label noise", "test error (%)");
        var norm = new Chart("Norm of the interpolant", "label noise", "RKHS norm √(αᵀKα)");
        foreach (var s in TheoryAnalysis.Kernel(rows))
        {
            double[] xs = [.. s.Rows.Select(r => r.LabelNoise)];
            error.Line(s.Label, xs, [.. s.Rows.Select(r => 100 * r.TestError)], markers: true);
            norm.Line(s.Label, xs, [.. s.Rows.Select(r => r.RkhsNorm)], markers: true);
        }
        w.Figure(error, "theory-kernel-test-error", "Test error of the minimum-norm interpolant against the fraction of training labels randomized, one line per feature map and training size.");
        w.Figure(norm, "theory-kernel-rkhs-norm", "RKHS norm √(αᵀKα) of the interpolant against label noise: the norm grows as the labels carry less structure.");
        var table = new CsvTable("features", "train_size", "label_noise", "labels_changed", "train_error", "test_error", "rkhs_norm", "relative_residual", "kernel_seconds", "solve_seconds");
        foreach (var r in rows)
            table.Add(r.Features, r.TrainSize, r.LabelNoise, r.FractionChanged, r.TrainError, r.TestError, r.RkhsNorm, r.RelativeResidual, r.KernelSeconds, r.SolveSeconds);
        w.Table(table, "theory-kernel", "Every kernel fit: features, training size, label noise and the fraction of labels it changed, training and test error (fractions), RKHS norm, relative residual ‖y − Kα‖/‖y‖, and seconds to build and solve.");
    }

    static void Expressivity(ReportWriter w, IReadOnlyList<ExpressivityResult> rows)
    {
        w.Heading(3, "Theorem 1: a two-layer ReLU network with 2n + d weights fits any labels");
        w.Paragraph("c(x) = Σⱼ wⱼ·max(⟨a, x⟩ − bⱼ, 0), the bⱼ at the midpoints of the sorted projections, w = A⁻¹y by forward substitution. Relative residual = max|c(x_i) − y_i| / max|y_i|; exact = every output rounds to its label.");
        var table = new CsvTable("points", "n", "d", "weights", "float64_residual", "exact", "smallest_diagonal", "condition_estimate", "float32_residual", "float32_rounded", "test_accuracy", "depth", "depth_residual");
        foreach (var r in rows)
            table.Add(r.Source, r.N, r.D, r.Weights, r.RelativeResidual, r.Exact, r.Float64.SmallestDiagonal, r.Float64.ConditionEstimate, r.Float32RelativeResidual,
                r.Float32.FractionRounded, r.Test?.Accuracy, r.Deep?.Depth, r.Deep?.RelativeResidual);
        w.Table(table, "theory-expressivity", "Every construction: where its points came from, n, d, weights, the float64 residual and whether it is exact, the smallest diagonal of A and κ₁(A), the float32 residual and the fraction of outputs that round to their labels, the accuracy on held-out points (data sets), and the depth-k construction's residual.");
    }
}
