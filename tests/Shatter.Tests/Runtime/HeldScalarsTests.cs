using Shatter.Runtime;
using static TorchSharp.torch;

namespace Shatter.Tests.Runtime;

public sealed class HeldScalarsTests
{
    [Fact]
    public void Softplus_matches_libtorchs_softplus_in_value_and_gradient_from_minus_50_to_50()
    {
        using var scope = NewDisposeScope();
        var z = linspace(-50, 50, 1001, dtype: ScalarType.Float32).requires_grad_();
        var ours = HeldScalars.Softplus(z);
        ours.sum().backward();
        var ourGrad = z.grad!.clone();
        z.grad!.zero_();
        var reference = nn.functional.softplus(z);   // tests may use the banned form: the reference
        reference.sum().backward();
        Assert.True(ours.allclose(reference, rtol: 1e-6, atol: 1e-6), "softplus values differ");
        Assert.True(ourGrad.allclose(z.grad!, rtol: 1e-5, atol: 1e-6), "softplus gradients differ");
        Assert.True(ours.isfinite().all().item<bool>());
    }

    [Fact]
    public void Arange_counts_from_0_to_n_minus_1_as_int64()
    {
        using var a = HeldScalars.Arange(5);
        Assert.Equal(ScalarType.Int64, a.dtype);
        Assert.Equal(new long[] { 0, 1, 2, 3, 4 }, a.data<long>().ToArray());
    }
}
