using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Theory;

/// <summary>
/// Paper §5: SGD on least squares only ever adds multiples of the x_i to w, so started at w = 0 it stays
/// in the row space of X and, when it interpolates, reaches the minimum-norm solution Xᵀ(XXᵀ)⁻¹y.
/// Started at w₀ it keeps w₀'s component in the null space and converges to w_min + (I − P)w₀ instead.
/// Data: X (n, d) with rows N(0, I/d) and y (n) ~ N(0, 1) from the seed; plain per-example SGD on
/// ½(⟨x_i, w⟩ − y_i)² with constant step η = 1/max‖x_i‖² in a seeded random order each epoch.
/// </summary>
public static class MinimumNormExperiment
{
    public static MinimumNormResult Run(int n, int d, int epochs, long seed)
    {
        if (n < 1 || d < 1) throw new ShatterException($"--n and --d must be positive, not {n} and {d}.");
        if (n >= d) throw new ShatterException($"the problem is over-parameterised only when n < d, and n = {n} ≥ d = {d}; choose --n smaller than --d.");
        if (epochs < 1) throw new ShatterException($"--epochs must be at least 1, not {epochs}.");
        using var scope = NewDisposeScope();
        using var gen = new Generator((ulong)Seeds.Derive(seed, "least-squares"));
        // numbers go to libtorch as Scalars held until the calls return (docs/torchsharp.md)
        using var one = 1.ToScalar();
        using var rootD = Math.Sqrt(d).ToScalar();
        var x = randn(n, d, dtype: ScalarType.Float64, generator: gen).div_(rootD);                   // (n, d)
        var y = randn(n, dtype: ScalarType.Float64, generator: gen);                                  // (n)
        var wMin = x.t().matmul(linalg.solve(x.matmul(x.t()), y));                                     // (d) = Xᵀ(XXᵀ)⁻¹y
        double minNorm = wMin.norm().item<double>();
        var w0 = randn(d, dtype: ScalarType.Float64, generator: gen);
        using (var rescale = (minNorm / w0.norm().item<double>()).ToScalar())
            w0.mul_(rescale);                                                                          // ‖w₀‖ = ‖w_min‖
        var rowSpace = x.t().matmul(linalg.solve(x.matmul(x.t()), x.matmul(w0)));                    // P w₀
        var predicted = wMin.add(w0, one).sub(rowSpace);                                                   // w_min + (I − P) w₀

        var rows = Enumerable.Range(0, n).Select(i => x[i].data<double>().ToArray()).ToArray();
        var targets = y.data<double>().ToArray();
        double eta = 1.0 / rows.Max(r => r.Sum(v => v * v));
        var fromZero = Sgd(rows, targets, new double[d], eta, epochs, Seeds.Derive(seed, "order"));
        var fromStart = Sgd(rows, targets, w0.data<double>().ToArray(), eta, epochs, Seeds.Derive(seed, "order"));

        var wz = tensor(fromZero, dtype: ScalarType.Float64);
        var ws = tensor(fromStart, dtype: ScalarType.Float64);
        double yNorm = y.norm().item<double>();
        return new MinimumNormResult(n, d, epochs, eta, minNorm,
            FromZeroRelativeDistance: wz.sub(wMin).norm().item<double>() / minNorm,
            FromZeroResidual: x.matmul(wz).sub(y).norm().item<double>() / yNorm,
            FromZeroNorm: wz.norm().item<double>(),
            FromStartRelativeDistance: ws.sub(wMin).norm().item<double>() / minNorm,
            FromStartDistanceToPredicted: ws.sub(predicted).norm().item<double>() / minNorm,
            FromStartResidual: x.matmul(ws).sub(y).norm().item<double>() / yNorm,
            FromStartNorm: ws.norm().item<double>());
    }

    /// <summary>Per-example SGD, w ← w − η(⟨x_i, w⟩ − y_i)x_i, examples in a fresh seeded order each epoch.</summary>
    static double[] Sgd(double[][] x, double[] y, double[] w, double eta, int epochs, long seed)
    {
        var rng = new Random((int)(seed & int.MaxValue));
        var order = Enumerable.Range(0, x.Length).ToArray();
        for (int e = 0; e < epochs; e++)
        {
            rng.Shuffle(order);
            foreach (int i in order)
            {
                var xi = x[i];
                double error = -y[i];
                for (int j = 0; j < w.Length; j++) error += xi[j] * w[j];
                double step = eta * error;
                for (int j = 0; j < w.Length; j++) w[j] -= step * xi[j];
            }
        }
        return w;
    }
}
