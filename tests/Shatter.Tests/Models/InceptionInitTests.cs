using Shatter.Models;
using Shatter.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Shatter.Tests.Models;

/// <summary>
/// Why Inception without batch norm was stuck at chance, and the fix: with PyTorch's default initialization
/// its output at initialization hardly depends on the image (the signal shrinks ~6× in variance per conv + ReLU
/// and the biases' constant is left), so the loss sits at ln 10; He initialization with zero biases keeps it.
/// </summary>
[Collection(SerialTorchRandom.Name)]
public sealed class InceptionInitTests
{
    /// <summary>How much the logits vary across 32 images, relative to their size: std over the batch / mean |logit| (measured: 0.066 with He init, 0.00037 with PyTorch defaults).</summary>
    static double ImageDependence(Module<Tensor, Tensor> model)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        model.eval();
        using var gen = new Generator(11);
        var logits = model.call(randn([32, 3, 28, 28], generator: gen));  // (32, 10); whitened images have unit variance
        return logits.std(0).mean().item<float>() / logits.abs().mean().item<float>();
    }

    /// <summary>PyTorch's defaults for every convolution: weight and bias uniform in ±1/√fan_in (kaiming_uniform with a = √5).</summary>
    static void PyTorchDefaults(Module<Tensor, Tensor> model)
    {
        using var _ = no_grad();
        foreach (var (name, p) in model.named_parameters().Where(p => p.name.Contains(".conv.")))
        {
            var w = model.named_parameters().Single(q => q.name == name.Replace(".bias", ".weight")).parameter;
            double bound = 1 / Math.Sqrt(w.shape[1] * w.shape[2] * w.shape[3]);
            init.uniform_(p, -bound, bound);
        }
    }

    [Fact]
    public void Without_batch_norm_the_output_at_initialization_depends_on_the_image()
    {
        torch.manual_seed(1);
        using var model = ModelRegistry.Create("inception-nobn", (3, 28, 28), 10, new ModelOptions());
        Assert.True(ImageDependence(model) > 0.02, $"image dependence {ImageDependence(model)}");
    }

    [Fact]
    public void With_pytorchs_default_initialization_the_output_without_batch_norm_is_nearly_constant()
    {
        torch.manual_seed(1);
        using var model = ModelRegistry.Create("inception-nobn", (3, 28, 28), 10, new ModelOptions());
        PyTorchDefaults(model);
        Assert.True(ImageDependence(model) < 0.002, $"image dependence {ImageDependence(model)}");
    }

    [Fact]
    public void Convolutions_without_batch_norm_start_with_zero_biases_and_he_variance()
    {
        torch.manual_seed(1);
        using var model = ModelRegistry.Create("inception-nobn", (3, 28, 28), 10, new ModelOptions());
        var convs = model.named_parameters().Where(p => p.name.Contains(".conv.")).ToList();
        Assert.All(convs.Where(p => p.name.EndsWith(".bias")), p => Assert.Equal(0f, p.parameter.abs().max().item<float>()));
        var w = convs.Single(p => p.name == "inception3a.branch3x3.conv.weight").parameter;  // (160, 240, 3, 3): fan_in 2160
        Assert.Equal(2.0 / 2160, w.var().item<float>(), 2.0 / 2160 * 0.05);
    }
}
