using Shatter.Measures;
using Shatter.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Tests.Measures;

public sealed class ConvolutionNormTests
{
    [Fact]
    public void Operator_norm_of_a_difference_kernel_is_2_and_of_a_positive_kernel_its_sum()
    {
        // x[i, j] − x[i, j+1]: transfer function 1 − e^{iθ}, largest modulus 2 at θ = π (an even grid has it)
        var difference = zeros(1, 1, 3, 3, dtype: ScalarType.Float64);
        difference[0, 0, 1, 1] = tensor(1.0);
        difference[0, 0, 1, 2] = tensor(-1.0);
        Assert.Equal(2.0, ConvolutionNorm.OperatorNorm(difference, 8, 8), 12);
        // a non-negative kernel: the largest modulus is at frequency 0, the sum of its entries
        var positive = tensor(new double[] { 1, 2, 0, 0.5, 1, 3, 0, 1, 0.25 }).reshape(1, 1, 3, 3);
        Assert.Equal(8.75, ConvolutionNorm.OperatorNorm(positive, 5, 6), 12);
        // on a grid smaller than the kernel the taps wrap around: still the sum at frequency 0 (not a cropped kernel's)
        Assert.Equal(8.75, ConvolutionNorm.OperatorNorm(positive, 1, 1), 12);
        Assert.Equal(8.75, ConvolutionNorm.OperatorNorm(positive, 2, 2), 12);
        // whereas the reshaped 1 × 9 kernel's spectral norm is its Euclidean norm
        Assert.Equal(Math.Sqrt(1 + 4 + 0.25 + 1 + 9 + 1 + 0.0625), NormMeasures.Spectral(positive.reshape(1, -1)), 12);
    }

    [Fact]
    public void Operator_norm_equals_the_largest_singular_value_of_the_circular_convolution_matrix()
    {
        using var gen = new Generator(7);
        var kernel = randn([3, 2, 3, 3], dtype: ScalarType.Float64, generator: gen); // (out 3, in 2, 3×3)
        foreach (var (h, w) in new[] { (5, 4), (2, 2) }) // 2 × 2: smaller than the kernel, whose taps wrap around
        {
            // the dense matrix of x ↦ conv2d(circular pad(x), kernel), one row per basis image (2·h·w of them)
            var basis = eye(2 * h * w, dtype: ScalarType.Float64).reshape(2 * h * w, 2, h, w);
            var padded = nn.functional.pad(basis, [1, 1, 1, 1], PaddingModes.Circular);
            var rows = nn.functional.conv2d(padded, kernel).reshape(2 * h * w, -1); // (2·h·w inputs, 3·h·w outputs)
            double dense = linalg.svdvals(rows).max().item<double>();
            Assert.Equal(dense, ConvolutionNorm.OperatorNorm(kernel, h, w), 10);
        }
    }

    [Fact]
    public void Input_sides_of_the_convolutions_follow_the_network()
    {
        using var alexnet = ModelRegistry.Create("alexnet", (1, 28, 28), 10, new ModelOptions());
        var sides = ConvolutionNorm.InputSides(alexnet, (1, 28, 28));
        Assert.Equal((28, 28), sides["conv1"]);
        Assert.Equal((14, 14), sides["conv2"]);
        using var inception = ModelRegistry.Create("inception", (1, 28, 28), 10, new ModelOptions());
        var inSides = ConvolutionNorm.InputSides(inception, (1, 28, 28));
        Assert.Equal(19, inSides.Count); // 19 convolutions (and the fc layer)
        Assert.Equal((28, 28), inSides["downsample1.conv.conv"]);
        Assert.Equal((13, 13), inSides["downsample2.conv.conv"]);
        Assert.Equal((6, 6), inSides["inception3b.branch3x3.conv"]);
    }
}
