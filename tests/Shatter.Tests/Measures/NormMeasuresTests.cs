using Shatter.Measures;
using Shatter.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Tests.Measures;

public sealed class NormMeasuresTests
{
    static Tensor M(double[,] a) => tensor(a, dtype: ScalarType.Float64);

    [Fact]
    public void Spectral_norm_of_a_known_matrix_is_its_largest_singular_value()
    {
        // AᵀA = [[25, 20], [20, 25]] has eigenvalues 45 and 5
        using var a = M(new double[,] { { 3, 0 }, { 4, 5 } });
        Assert.Equal(Math.Sqrt(45), NormMeasures.Spectral(a), 12);
        Assert.Equal(Math.Sqrt(50), NormMeasures.Frobenius(a), 12);
        Assert.Equal(3 + Math.Sqrt(41), NormMeasures.TwoOneOfTranspose(a), 12); // rows (3, 0) and (4, 5)
    }

    [Fact]
    public void Spectral_complexity_and_products_match_the_formulas_by_hand()
    {
        using var a1 = M(new double[,] { { 3, 0 }, { 4, 5 } });
        using var a2 = M(new double[,] { { 2, 0 }, { 0, 1 } });
        using var m1 = M(new double[,] { { 1, 0 }, { 0, 1 } });
        using var m2 = M(new double[,] { { 0, 0 }, { 0, 0 } });
        var n = NormMeasures.Of([a1, a2], [m1, m2]);
        double s1 = Math.Sqrt(45), s2 = 2;
        // A1 − M1 = [[2, 0], [4, 4]]: rows of norm 2 and √32; A2 − M2 = A2: rows 2 and 1
        double expected = s1 * s2 * Math.Pow(Math.Pow((2 + Math.Sqrt(32)) / s1, 2.0 / 3) + Math.Pow(3 / s2, 2.0 / 3), 1.5);
        Assert.Equal(expected, n.SpectralComplexity, 10);
        Assert.Equal(s1 * s2, n.SpectralProduct, 10);
        Assert.Equal(Math.Sqrt(50) * Math.Sqrt(5), n.FrobeniusProduct, 10);
        Assert.Equal(Math.Sqrt(50) + Math.Sqrt(5), n.FrobeniusSum, 10);
        Assert.Equal(Math.Sqrt(4 + 16 + 16 + 4 + 1), n.DistanceFromInit, 10);
    }

    [Fact]
    public void Path_norm_of_a_two_layer_net_matches_the_sum_over_paths_by_hand()
    {
        using var model = new Mlp(2, [2], 2);
        using (var noGrad = no_grad())
        {
            var p = model.named_parameters().ToDictionary(x => x.name, x => x.parameter);
            p["hidden.0.weight"].copy_(tensor(new float[,] { { 1, -2 }, { 0, 3 } }));
            p["hidden.0.bias"].copy_(tensor(new float[] { 0.5f, -1 }));
            p["output.weight"].copy_(tensor(new float[,] { { 2, 1 }, { -1, 1 } }));
            p["output.bias"].copy_(tensor(new float[] { 0, 0.1f }));
        }
        // Σ over paths i→j→k of W1[j,i]²·W2[k,j]²: hidden sums (1+4, 0+9) = (5, 9); outputs 4·5 + 1·9 = 29 and 1·5 + 1·9 = 14
        Assert.Equal(Math.Sqrt(43), NormMeasures.PathNorm(model, (2, 1, 1)), 5);
        var layers = LayerWeights.Of(new Mlp(2, [3], 2));
        Assert.Equal([(3L, 2L), (2L, 3L)], layers.OrderBy(l => l.Name).Select(l => (l.Weight.shape[0], l.Weight.shape[1])));
    }

    [Fact]
    public void Convolution_kernels_are_reshaped_to_out_by_in_times_k_times_k()
    {
        using var model = ModelRegistry.Create("alexnet", (3, 28, 28), 10, new ModelOptions());
        var conv = LayerWeights.Of(model).Where(l => l.Convolution).ToList();
        Assert.Equal(2, conv.Count);
        Assert.Contains(conv, l => l.Weight.shape[0] == 64 && l.Weight.shape[1] == 3 * 5 * 5);
        Assert.Contains(conv, l => l.Weight.shape[0] == 64 && l.Weight.shape[1] == 64 * 5 * 5);
    }
}
