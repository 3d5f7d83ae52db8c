using Shatter.Measures.Attractors;
using Shatter.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Tests.Measures.Attractors;

[Collection(SerialTorchRandom.Name)]
public sealed class IdentityCrisisTests
{
    /// <summary>Pearson's r of two arrays, written out in doubles (the reference the tensor version is checked against).</summary>
    static double Pearson(float[] a, float[] b)
    {
        double ma = a.Average(v => (double)v), mb = b.Average(v => (double)v), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.Sqrt(saa * sbb);
    }

    static double MeanPearsonWith(Tensor images, Tensor one) =>
        Enumerable.Range(0, (int)images.shape[0]).Average(i => Pearson(images[i].flatten().data<float>().ToArray(), one.flatten().data<float>().ToArray()));

    [Fact]
    public void The_identity_correlates_one_with_its_input_and_as_much_with_the_training_image_as_the_inputs_do()
    {
        torch.manual_seed(1);
        using var train = randn(1, 4, 4);
        using var fresh = randn(6, 1, 4, 4).add(train.unsqueeze(0), 0.5); // partly like the training image
        var result = IdentityCrisis.Test(new IdentityMap(), train, fresh);
        Assert.Equal(1.0, result.WithInput, 1e-9);
        Assert.Equal(MeanPearsonWith(fresh, train), result.WithTraining, 1e-9);
        Assert.Equal("identity", result.Closer);
        Assert.Equal(6, result.Images);
    }

    [Fact]
    public void The_constant_map_correlates_one_with_the_training_image()
    {
        torch.manual_seed(2);
        using var train = randn(1, 4, 4);
        using var fresh = randn(6, 1, 4, 4);
        var result = IdentityCrisis.Test(new ConstantMap(train), train, fresh);
        Assert.Equal(1.0, result.WithTraining, 1e-9);
        Assert.Equal(MeanPearsonWith(fresh, train), result.WithInput, 1e-9);
        Assert.True(Math.Abs(result.WithInput) < 0.5);
        Assert.Equal("constant", result.Closer);
    }

    [Fact]
    public void Correlation_ignores_scale_and_shift_and_is_zero_for_a_flat_output()
    {
        torch.manual_seed(3);
        using var train = randn(1, 4, 4);
        using var fresh = randn(5, 1, 4, 4);
        Assert.Equal(1.0, IdentityCrisis.Test(new AffineMap(), train, fresh).WithInput, 1e-9);
        using var flat = zeros(1, 4, 4);
        var zero = IdentityCrisis.Test(new ConstantMap(flat), train, fresh);
        Assert.Equal(0.0, zero.WithInput);
        Assert.Equal(0.0, zero.WithTraining);
    }

    [Fact]
    public void No_new_images_is_an_error()
    {
        using var train = zeros(1, 2, 2);
        using var none = zeros(0, 1, 2, 2);
        Assert.Contains("at least one new image", Assert.Throws<ShatterException>(() => IdentityCrisis.Test(new IdentityMap(), train, none)).Message);
    }
}
