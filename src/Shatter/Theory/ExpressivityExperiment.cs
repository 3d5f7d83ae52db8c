using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Theory;

/// <summary>
/// Builds the Theorem 1 network on a sample in float64 and float32 (the same direction a), measures
/// the fit, optionally the depth-k form, and what it predicts on held-out points.
/// </summary>
public static class ExpressivityExperiment
{
    /// <summary>n points of N(0, I_d) (float64) with labels uniform in 0..classes−1 (int64), from the seed.</summary>
    public static (Tensor X, Tensor Y) RandomPoints(int n, int d, int classes, long seed)
    {
        if (n < 1) throw new ShatterException($"--n must be at least 1, not {n}.");
        if (d < 1) throw new ShatterException($"--d must be at least 1, not {d}.");
        if (classes < 1) throw new ShatterException($"--classes must be at least 1, not {classes}.");
        using var gen = new Generator((ulong)Seeds.Derive(seed, "points"));
        var x = randn(n, d, dtype: ScalarType.Float64, generator: gen);
        var y = randint(classes, [n], dtype: ScalarType.Int64, generator: gen);
        return (x, y);
    }

    /// <param name="x">(n, d) points.</param>
    /// <param name="y">(n) integer labels.</param>
    /// <param name="depth">1: only the two-layer network; k &gt; 1: also the depth-k form.</param>
    /// <param name="testX">(m, d) held-out points, or null.</param>
    /// <param name="testY">(m) their true labels, or null.</param>
    public static ExpressivityResult Run(string source, Tensor x, Tensor y, int classes, double labelNoise, long seed, int directions, int depth, Tensor? testX, Tensor? testY)
    {
        using var scope = NewDisposeScope();
        var a = Theorem1Construction.ChooseDirection(x, Seeds.Derive(seed, "direction"), directions);
        var (network, fit64) = Theorem1Construction.Build(x, y, a, ScalarType.Float64);
        var (network32, fit32) = Theorem1Construction.Build(x, y, a, ScalarType.Float32);
        network32.Dispose();
        using (network)
        {
            OffSampleFit? test = null;
            if (testX is not null && testY is not null)
            {
                // numbers go to libtorch as Scalars held until the calls return (docs/torchsharp.md)
                using Scalar zero = 0.ToScalar(), top = (classes - 1).ToScalar(), below = (-0.5).ToScalar(), above = (classes - 0.5).ToScalar();
                var output = network.Predict(testX.to_type(ScalarType.Float64));
                var predicted = output.round().clamp(zero, top).to_type(ScalarType.Int64);
                test = new OffSampleFit(
                    Count: (int)testY.shape[0],
                    Accuracy: predicted.eq(testY).to_type(ScalarType.Float64).mean().item<double>(),
                    Chance: 1.0 / classes,
                    MeanAbsOutput: output.abs().mean().item<double>(),
                    FractionOutOfRange: output.lt(below).logical_or(output.gt(above)).to_type(ScalarType.Float64).mean().item<double>());
            }
            DeepFit? deep = depth > 1 ? FitDeep(network, x, y, depth) : null;
            return new ExpressivityResult(source, fit64.N, fit64.D, fit64.Weights, classes, labelNoise,
                fit64.RelativeResidual, fit32.RelativeResidual, fit64.Exact, fit32.Exact, fit64, fit32, test, deep);
        }
    }

    /// <summary>The depth-k network made from the two-layer one, and its fit on the same points.</summary>
    public static DeepFit FitDeep(Theorem1Network shallow, Tensor x, Tensor y, int depth)
    {
        using var scope = NewDisposeScope();
        using var deep = new DeepTheorem1Network(shallow, depth);
        using var noGrad = no_grad();
        var xf = x.reshape(x.shape[0], -1).to_type(shallow.Precision);
        var yf = y.to_type(shallow.Precision);
        var output = deep.call(xf).squeeze(1);
        var twoLayer = shallow.Predict(xf);
        double scale = Math.Max(yf.abs().max().to_type(ScalarType.Float64).item<double>(), double.Epsilon);
        double relative = output.sub(yf).abs().max().to_type(ScalarType.Float64).item<double>() / scale;
        double rounded = output.round().eq(yf).to_type(ScalarType.Float64).mean().item<double>();
        double difference = output.sub(twoLayer).abs().max().to_type(ScalarType.Float64).item<double>();
        return new DeepFit(deep.Depth, deep.HiddenWidths, deep.NonzeroWeights, Theorem1Fit.Finite(relative), rounded,
            double.IsFinite(relative) && rounded == 1.0, Theorem1Fit.Finite(difference));
    }
}
