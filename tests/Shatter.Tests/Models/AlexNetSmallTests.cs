using Shatter.Models;
using static TorchSharp.torch;

namespace Shatter.Tests.Models;

public sealed class AlexNetSmallTests
{
    [Fact]
    public void Lrn_equals_libtorchs_local_response_norm_in_both_layouts()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var x = randn(6, 64, 7, 7).mul(3);
        var reference = nn.LocalResponseNorm(4, alpha: 0.001 / 9.0, beta: 0.75, k: 1.0).call(x);
        Assert.True(AlexNetSmall.Lrn(x).allclose(reference, rtol: 1e-5, atol: 1e-6));
        var channelsLast = x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
        Assert.True(AlexNetSmall.Lrn(channelsLast).allclose(reference, rtol: 1e-5, atol: 1e-6));
        // the normalisation really acts: large activations shrink
        var big = full(1, 4, 1, 1, 100f);
        Assert.True(AlexNetSmall.Lrn(big).max().item<float>() < 100f * 0.9f);
    }
}
