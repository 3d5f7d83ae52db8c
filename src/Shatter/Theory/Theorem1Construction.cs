using TorchSharp;
using System.Diagnostics;
using static TorchSharp.torch;

namespace Shatter.Theory;

/// <summary>
/// Builds the network of Theorem 1 for n points x_i ∈ ℝ^d and any real labels y_i (paper §4, App. C):
/// <list type="number">
/// <item>a: a random unit Gaussian direction, so that the projections z_i = ⟨a, x_i⟩ are distinct (of
/// several draws, the one whose smallest gap between sorted projections is largest);</item>
/// <item>sort the z_i; interleave b_1 &lt; z_1 &lt; b_2 &lt; … &lt; b_n &lt; z_n with b_j the midpoint
/// of z_{j−1} and z_j (which makes the smallest diagonal of A as large as it can be, half the smallest
/// gap) and b_1 = z_1 − (mean gap)/2;</item>
/// <item>A_ij = max(z_i − b_j, 0) is lower triangular with a positive diagonal; w = A⁻¹y by forward
/// substitution.</item>
/// </list>
/// Everything after the choice of a runs in the precision asked for, so float32's loss of exactness
/// as the gaps shrink with n shows.
/// </summary>
public static class Theorem1Construction
{
    /// <summary>
    /// The unit direction (d, float64) among <paramref name="tries"/> seeded Gaussian draws whose sorted
    /// projections of <paramref name="x"/> (n, d) have the largest smallest gap. Throws when no draw
    /// separates the points (they contain duplicates).
    /// </summary>
    public static Tensor ChooseDirection(Tensor x, long seed, int tries = 16)
    {
        if (tries < 1) throw new ShatterException($"--directions must be at least 1, not {tries}.");
        using var scope = NewDisposeScope();
        var x64 = x.reshape(x.shape[0], -1).to_type(ScalarType.Float64);
        using var gen = new Generator((ulong)seed);
        Tensor? best = null;
        double bestGap = -1;
        for (int t = 0; t < tries; t++)
        {
            var a = randn(x64.shape[1], dtype: ScalarType.Float64, generator: gen);
            a.div_(a.norm());
            double gap = SmallestGap(x64.matmul(a));
            if (gap > bestGap) (best, bestGap) = (a, gap);
        }
        if (bestGap <= 0)
            throw new ShatterException("the sample holds two identical points, which no network can give different labels; remove duplicates or choose another subset (--seed).");
        return best!.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The network fitting labels <paramref name="y"/> (n) on <paramref name="x"/> (n, d), built in
    /// <paramref name="precision"/> (Float64 or Float32) along direction <paramref name="a"/> (d), and
    /// how well it fits. Labels are treated as reals; <c>FractionRounded</c> counts outputs whose
    /// nearest integer is the label.
    /// </summary>
    public static (Theorem1Network Network, Theorem1Fit Fit) Build(Tensor x, Tensor y, Tensor a, ScalarType precision)
    {
        var clock = Stopwatch.StartNew();
        long n = x.shape[0];
        Theorem1Network network;
        Tensor matrix, z;
        using (var build = NewDisposeScope())
        {
            var xs = x.reshape(n, -1).to_type(precision);
            var af = a.to_type(precision);
            z = xs.matmul(af).MoveToOuterDisposeScope();                                 // (n)
            var (zs, order) = z.sort();
            var ys = y.to_type(precision).index_select(0, order);
            var b = Thresholds(zs);                                                       // (n)
            matrix = nn.functional.relu(zs.unsqueeze(1).sub(b.unsqueeze(0))).tril();     // (n, n), A_ij = max(z_i − b_j, 0)
            matrix.MoveToOuterDisposeScope();
            var w = linalg.solve_triangular(matrix, ys.unsqueeze(1), upper: false).squeeze(1);
            network = new Theorem1Network(af, b, w);                                      // copies a, b, w
        }
        using var scope = NewDisposeScope();
        using var ownedMatrix = matrix;
        using var ownedZ = z;
        var xf = x.reshape(n, -1).to_type(precision);
        var yf = y.to_type(precision);
        var output = network.Predict(xf);
        var residual = output.sub(yf).abs();
        double maxResidual = residual.max().to_type(ScalarType.Float64).item<double>();
        double scale = Math.Max(yf.abs().max().to_type(ScalarType.Float64).item<double>(), double.Epsilon);
        double rounded = output.round().eq(yf).to_type(ScalarType.Float64).mean().item<double>();
        double gap = SmallestGap(z);
        double diagonal = matrix.diagonal().min().to_type(ScalarType.Float64).item<double>();
        bool distinct = gap > 0;
        double condition = distinct ? TriangularConditioning.ConditionEstimate(matrix) : double.PositiveInfinity;
        double maxWeight = network.W.abs().max().to_type(ScalarType.Float64).item<double>();
        double relative = maxResidual / scale;
        var fit = new Theorem1Fit(
            Precision: precision == ScalarType.Float64 ? "float64" : precision == ScalarType.Float32 ? "float32" : precision.ToString(),
            N: (int)n,
            D: (int)xf.shape[1],
            Weights: network.WeightCount,
            DistinctProjections: distinct,
            RelativeResidual: Theorem1Fit.Finite(relative),
            MaxAbsResidual: Theorem1Fit.Finite(maxResidual),
            FractionRounded: double.IsFinite(rounded) ? rounded : 0,
            Exact: double.IsFinite(relative) && rounded == 1.0,
            SmallestGap: Theorem1Fit.Finite(gap),
            SmallestDiagonal: Theorem1Fit.Finite(diagonal),
            ConditionEstimate: Theorem1Fit.Finite(condition),
            MaxAbsWeight: Theorem1Fit.Finite(maxWeight),
            Seconds: clock.Elapsed.TotalSeconds);
        return (network, fit);
    }

    /// <summary>b (n) for sorted projections zs (n): b_1 = z_1 − mean gap / 2, b_j = (z_{j−1} + z_j) / 2.</summary>
    public static Tensor Thresholds(Tensor zs)
    {
        using var scope = NewDisposeScope();
        long n = zs.shape[0];
        var b = empty_like(zs);
        double meanGap = n > 1 ? (zs[n - 1] - zs[0]).to_type(ScalarType.Float64).item<double>() / (n - 1) : 1.0;
        if (!(meanGap > 0)) meanGap = 1.0;
        // numbers go to libtorch as Scalars held until the calls return (docs/torchsharp.md)
        using Scalar halfGap = (meanGap / 2).ToScalar(), one = 1.ToScalar(), half = 0.5.ToScalar();
        b[0] = zs[0].sub(halfGap);
        if (n > 1) b.narrow(0, 1, n - 1).copy_(zs.narrow(0, 0, n - 1).add(zs.narrow(0, 1, n - 1), one).mul_(half));
        return b.MoveToOuterDisposeScope();
    }

    /// <summary>The smallest gap between consecutive sorted values of z (n); +∞ for a single point.</summary>
    public static double SmallestGap(Tensor z)
    {
        if (z.shape[0] < 2) return double.PositiveInfinity;
        using var scope = NewDisposeScope();
        var zs = z.sort().Values;
        return zs.narrow(0, 1, zs.shape[0] - 1).sub(zs.narrow(0, 0, zs.shape[0] - 1)).min().to_type(ScalarType.Float64).item<double>();
    }
}
