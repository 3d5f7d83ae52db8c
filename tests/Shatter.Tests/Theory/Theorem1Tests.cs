using Shatter.Theory;
using static TorchSharp.torch;

namespace Shatter.Tests.Theory;

public sealed class Theorem1Tests
{
    static (Theorem1Network Network, Theorem1Fit Fit) Build(int n, int d, ScalarType precision, long seed = 3)
    {
        var (x, y) = ExpressivityExperiment.RandomPoints(n, d, 10, seed);
        using (x)
        using (y)
        using (var a = Theorem1Construction.ChooseDirection(x, seed, 4))
            return Theorem1Construction.Build(x, y, a, precision);
    }

    [Fact]
    public void Two_layer_network_fits_every_label_of_random_points_in_float64()
    {
        var (network, fit) = Build(300, 50, ScalarType.Float64);
        using (network)
        {
            Assert.True(fit.Exact);
            Assert.Equal(1.0, fit.FractionRounded);
            Assert.NotNull(fit.RelativeResidual);
            Assert.True(fit.RelativeResidual < 1e-8, $"relative residual {fit.RelativeResidual}");
            Assert.True(fit.SmallestDiagonal > 0);
            Assert.True(fit.ConditionEstimate > 1);
        }
    }

    [Fact]
    public void Network_has_2n_plus_d_weights_and_reads_images()
    {
        var (x, y) = ExpressivityExperiment.RandomPoints(40, 784, 10, 5);
        using var a = Theorem1Construction.ChooseDirection(x, 5, 2);
        var (network, fit) = Theorem1Construction.Build(x, y, a, ScalarType.Float64);
        using (network)
        {
            Assert.Equal(2 * 40 + 784, fit.Weights);
            Assert.Equal(2 * 40 + 784, network.parameters().Sum(p => p.numel()));
            using var images = x.reshape(40, 1, 28, 28);
            using var output = network.call(images);
            Assert.Equal(new long[] { 40, 1 }, output.shape);
            using var rounded = output.squeeze(1).round();
            Assert.True(rounded.eq(y.to_type(ScalarType.Float64)).all().item<bool>());
        }
        x.Dispose();
        y.Dispose();
    }

    [Fact]
    public void Float32_stops_being_exact_as_n_grows_while_float64_stays_exact()
    {
        var (small32, smallFit) = Build(40, 20, ScalarType.Float32);
        var (large32, largeFit) = Build(1500, 20, ScalarType.Float32);
        var (large64, largeFit64) = Build(1500, 20, ScalarType.Float64);
        small32.Dispose();
        large32.Dispose();
        large64.Dispose();
        Assert.True(smallFit.Exact, $"float32 at n = 40: {smallFit.FractionRounded}");
        Assert.False(largeFit.Exact, "float32 at n = 1500 should no longer round every output to its label");
        Assert.True(largeFit64.Exact);
        Assert.True(largeFit.RelativeResidual is null || largeFit.RelativeResidual > 1000 * largeFit64.RelativeResidual!.Value);
    }

    [Fact]
    public void Thresholds_interleave_the_sorted_projections_at_midpoints()
    {
        using var z = tensor(new double[] { 0.0, 1.0, 1.5, 4.0 });
        using var b = Theorem1Construction.Thresholds(z);
        var bv = b.data<double>().ToArray();
        var zv = z.data<double>().ToArray();
        Assert.Equal(new[] { 0.5, 1.25, 2.75 }, bv.Skip(1).ToArray());
        for (int j = 0; j < 4; j++)
        {
            Assert.True(bv[j] < zv[j]);
            if (j > 0) Assert.True(zv[j - 1] < bv[j]);
        }
        Assert.Equal(0.5, Theorem1Construction.SmallestGap(z));
    }

    [Fact]
    public void Duplicate_points_are_a_one_sentence_error()
    {
        using var x = tensor(new double[] { 1, 2, 3, 1, 2, 3, 0, 0, 1 }, [3, 3]);
        var e = Assert.Throws<ShatterException>(() => Theorem1Construction.ChooseDirection(x, 1, 3));
        Assert.Contains("identical points", e.Message);
    }

    [Fact]
    public void Condition_estimate_matches_the_exact_condition_number_of_a_small_triangular_matrix()
    {
        using var gen = new Generator(7);
        using var random = rand(60, 60, dtype: ScalarType.Float64, generator: gen);
        using var lower = random.tril().add_(eye(60, dtype: ScalarType.Float64).mul(0.1));
        using var inverse = linalg.inv(lower);
        double exact = lower.abs().sum([0L]).max().item<double>() * inverse.abs().sum([0L]).max().item<double>();
        double estimate = TriangularConditioning.ConditionEstimate(lower);
        Assert.True(estimate <= exact * (1 + 1e-9), $"{estimate} > {exact}");
        Assert.True(estimate >= exact / 3, $"{estimate} far below {exact}");
    }

    [Fact]
    public void Depth_k_network_has_width_n_over_k_plus_3_and_computes_the_same_function()
    {
        var (x, y) = ExpressivityExperiment.RandomPoints(400, 30, 10, 11);
        using var a = Theorem1Construction.ChooseDirection(x, 11, 4);
        var (shallow, _) = Theorem1Construction.Build(x, y, a, ScalarType.Float64);
        using (shallow)
        {
            var fit = ExpressivityExperiment.FitDeep(shallow, x, y, 4);
            Assert.Equal(4, fit.Depth);
            Assert.All(fit.HiddenWidths, w => Assert.True(w <= 400 / 4 + 3));
            Assert.True(fit.Exact);
            Assert.True(fit.RelativeResidual < 1e-6, $"relative residual {fit.RelativeResidual}");
            Assert.True(fit.NonzeroWeights < 6 * 400 + 30, $"{fit.NonzeroWeights} non-zero weights is not O(n + d)");

            // the same function everywhere, not only on the sample: fresh points, including far ones
            using var deep = new DeepTheorem1Network(shallow, 4);
            using var fresh = randn(200, 30, dtype: ScalarType.Float64).mul_(3);
            using var two = shallow.Predict(fresh);
            using var many = deep.call(fresh).squeeze(1);
            double scale = two.abs().max().item<double>() + 1;
            Assert.True(two.sub(many).abs().max().item<double>() / scale < 1e-8);
        }
        x.Dispose();
        y.Dispose();
    }
}
