using Shatter.Measures;
using Shatter.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Tests.Measures;

[Collection(Training.SerialTorchRandom.Name)]
public sealed class FlatnessTests
{
    /// <summary>A small MLP trained a little on a separable toy problem, and its data.</summary>
    static (nn.Module<Tensor, Tensor> Model, Tensor X, Tensor Y) Toy()
    {
        manual_seed(11);
        var x = randn(300, 1, 2, 2);
        using var zero = 0.0.ToScalar();
        var y = x.flatten(1).sum(1).gt(zero).to_type(ScalarType.Int64);
        var model = ModelRegistry.Create("mlp-1x16", (1, 2, 2), 2, new ModelOptions());
        using var opt = optim.SGD(model.parameters(), 0.1);
        for (int i = 0; i < 200; i++)
        {
            opt.zero_grad();
            nn.functional.cross_entropy(model.call(x), y).backward();
            opt.step();
        }
        model.eval();
        return (model, x, y);
    }

    static float[] Flat(nn.Module model) => [.. model.parameters().SelectMany(p => p.detach().data<float>().ToArray())];

    [Fact]
    public void Sigma_prime_is_seeded_restores_the_weights_and_grows_with_the_allowed_drop()
    {
        var (model, x, y) = Toy();
        var before = Flat(model);
        Assert.True(Flatness.Accuracy(model, x, y) > 0.9);
        var s = new FlatnessSettings { Draws = 2 };
        double a = Flatness.SigmaPrime(model, x, y, s, magnitudeAware: false);
        double b = Flatness.SigmaPrime(model, x, y, s, magnitudeAware: false);
        Assert.Equal(a, b);
        Assert.Equal(before, Flat(model));
        Assert.True(a > 0);
        double wider = Flatness.SigmaPrime(model, x, y, s with { AccuracyDrop = 0.3 }, magnitudeAware: false);
        Assert.True(wider >= a, $"σ′ {wider} for a drop of 0.3 below σ′ {a} for 0.1");
        Assert.NotEqual(a, Flatness.SigmaPrime(model, x, y, s, magnitudeAware: true));
    }

    [Fact]
    public void Sharpness_is_zero_for_an_empty_box_positive_for_a_wide_one_and_restores_the_weights()
    {
        var (model, x, y) = Toy();
        var before = Flat(model);
        var (none, baseLoss) = Flatness.Sharpness(model, x, y, new FlatnessSettings { SharpnessBox = 0 });
        Assert.Equal(0, none, 6);
        Assert.Equal(Flatness.Loss(model, x, y), baseLoss, 6);
        var (wide, _) = Flatness.Sharpness(model, x, y, new FlatnessSettings { SharpnessBox = 0.05 });
        Assert.True(wide > 0);
        Assert.Equal(before, Flat(model));
    }
}
