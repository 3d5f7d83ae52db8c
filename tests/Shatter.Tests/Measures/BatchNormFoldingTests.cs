using Shatter.Measures;
using Shatter.Models;
using Shatter.Tests.Data;
using Shatter.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Tests.Measures;

[Collection(Training.SerialTorchRandom.Name)]
public sealed class BatchNormFoldingTests
{
    /// <summary>Random running statistics and shifts, so that folding has something to fold.</summary>
    static void Randomise(nn.Module model)
    {
        using var noGrad = no_grad();
        foreach (var (name, b) in model.named_buffers())
        {
            if (name.EndsWith("running_mean")) b.uniform_(-0.5, 0.5);
            else if (name.EndsWith("running_var")) b.uniform_(0.3, 3);
        }
        foreach (var (name, p) in model.named_parameters())
            if (name.EndsWith("beta")) p.uniform_(-0.5, 0.5);
    }

    static void AssertSameOutputs(nn.Module<Tensor, Tensor> a, nn.Module<Tensor, Tensor> b, Tensor x)
    {
        a.eval(); b.eval();
        using var noGrad = no_grad();
        var ya = a.call(x);
        var yb = b.call(x);
        double scale = ya.abs().max().item<float>();
        Assert.True(scale > 0);
        Assert.True(ya.sub(yb).abs().max().item<float>() <= 1e-4 * scale, $"outputs differ by {ya.sub(yb).abs().max().item<float>()} (scale {scale})");
    }

    [Fact]
    public void Folded_inception_computes_the_same_outputs()
    {
        using var folder = new TempFolder();
        manual_seed(5);
        using var model = ModelRegistry.Create("inception", (1, 28, 28), 10, new ModelOptions());
        Randomise(model);
        RunWeights.Save(model, folder["w.pt"]);
        using var folded = ModelRegistry.Create("inception", (1, 28, 28), 10, new ModelOptions());
        RunWeights.Load(folded, folder["w.pt"]);
        var before = LayerWeights.Of(folded).Select(l => NormMeasures.Frobenius(l.Weight)).ToArray();
        BatchNormFolding.Fold(folded);
        var after = LayerWeights.Of(folded).Select(l => NormMeasures.Frobenius(l.Weight)).ToArray();
        Assert.NotEqual(before, after); // the scales went into the convolutions
        AssertSameOutputs(model, folded, randn(3, 1, 28, 28));
    }

    [Fact]
    public void Folding_an_affine_batch_norm_keeps_the_outputs()
    {
        manual_seed(6);
        var conv = nn.Conv2d(2, 4, 3, padding: 1);
        var bn = new Shatter.Models.BatchNorm2d(4);
        using var net = nn.Sequential(("conv", conv), ("bn", bn));
        using var copy = nn.Sequential(("conv", nn.Conv2d(2, 4, 3, padding: 1)), ("bn", new Shatter.Models.BatchNorm2d(4)));
        using (var noGrad = no_grad())
        {
            bn.RunningMean.uniform_(-1, 1);
            bn.RunningVar.uniform_(0.2, 4);
            bn.Weight!.uniform_(0.5, 2);
            bn.Bias!.uniform_(-1, 1);
        }
        copy.load_state_dict(net.state_dict());
        BatchNormFolding.Fold(copy);
        AssertSameOutputs(net, copy, randn(2, 2, 5, 5));
    }

    [Fact]
    public void A_batch_norm_before_its_convolution_is_refused_in_one_sentence()
    {
        using var model = ModelRegistry.Create("wrn-10-1", (3, 28, 28), 10, new ModelOptions());
        var e = Assert.Throws<ShatterException>(() => BatchNormFolding.Fold(model));
        Assert.Contains("cannot be folded", e.Message);
    }
}
