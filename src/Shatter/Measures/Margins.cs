using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Measures;

/// <summary>Classification margins f_y(x) − max_{j≠y} f_j(x) and their percentiles.</summary>
public static class Margins
{
    /// <summary>Margins of logits (N, classes) against labels (N), as float64 on the CPU.</summary>
    public static double[] Of(Tensor logits, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var l = logits.to(ScalarType.Float64, CPU);
        var y = labels.to(ScalarType.Int64, CPU).unsqueeze(1);
        var own = l.gather(1, y).squeeze(1);
        using var minusInf = double.NegativeInfinity.ToScalar();
        var others = l.scatter(1, y, full_like(l, minusInf)).max(1).values;
        return own.sub(others).data<double>().ToArray();
    }

    /// <summary>The q-quantile (0 ≤ q ≤ 1) by linear interpolation between order statistics (numpy's default).</summary>
    public static double Quantile(IReadOnlyList<double> values, double q)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        double pos = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos), hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>The 0th, 1st, ..., 100th percentiles.</summary>
    public static double[] Percentiles(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return [.. Enumerable.Range(0, 101).Select(p => Quantile(sorted, p / 100.0))];
    }
}
