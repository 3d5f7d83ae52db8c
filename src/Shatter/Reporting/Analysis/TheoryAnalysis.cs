using System.Globalization;
using Shatter.Theory;

namespace Shatter.Reporting.Analysis;

/// <summary>One curve of the kernel figures: the rows of one feature map and training size, by label noise.</summary>
public sealed record KernelSeries(string Label, IReadOnlyList<KernelResult> Rows);

/// <summary>
/// The analysis of the theory section, pure functions of the saved rows: the kernel curves (test error and RKHS norm against
/// label noise, per feature map and training size) and the findings against the paper — every kernel fit interpolates its
/// labels, and noisier labels cost a larger norm (paper §5); Theorem 1's construction with 2n + d weights fits every label.
/// </summary>
public static class TheoryAnalysis
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The kernel rows per "features, n = N" (the feature map's first word), each ordered by label noise.</summary>
    public static IReadOnlyList<KernelSeries> Kernel(IReadOnlyList<KernelResult> rows) =>
        [.. rows.GroupBy(r => $"{r.Features.Split(' ')[0]}, n = {r.TrainSize.ToString(Inv)}")
            .Select(g => new KernelSeries(g.Key, [.. g.OrderBy(r => r.LabelNoise)]))];

    public static IReadOnlyList<string> Findings(IReadOnlyList<KernelResult> kernel, IReadOnlyList<ExpressivityResult> expressivity)
    {
        var findings = new List<string>();
        foreach (var s in Kernel(kernel).Where(s => s.Rows.Count >= 2))
        {
            var (first, last) = (s.Rows[0], s.Rows[^1]);
            bool interpolates = s.Rows.All(r => r.TrainError == 0);
            bool larger = last.RkhsNorm > first.RkhsNorm;
            findings.Add(string.Create(Inv,
                $"{(interpolates && larger ? "✓" : "✗")} kernel {s.Label}: {(interpolates ? "every fit interpolates its labels" : "not every fit interpolates its labels")}; from label noise {first.LabelNoise} to {last.LabelNoise} the test error goes {100 * first.TestError:0.0}% → {100 * last.TestError:0.0}% and the RKHS norm {first.RkhsNorm:0.0} → {last.RkhsNorm:0.0} (paper: fitting random labels takes a significantly larger norm)."));
        }
        if (expressivity.Count > 0)
        {
            int exact = expressivity.Count(r => r.Exact), exact32 = expressivity.Count(r => r.Float32Exact);
            var ns = string.Join(", ", expressivity.Select(r => r.N).Distinct().Order().Select(n => n.ToString("N0", Inv)));
            findings.Add(string.Create(Inv,
                $"{(exact == expressivity.Count ? "✓" : "✗")} Theorem 1: the two-layer ReLU network with 2n + d weights fits every label exactly in float64 in {exact} of {expressivity.Count} constructions (n = {ns}), in float32 in {exact32}; paper: it represents any labels of n points."));
        }
        return findings;
    }
}
