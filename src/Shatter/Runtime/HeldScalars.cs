using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Runtime;

/// <summary>
/// TorchSharp calls whose plain form makes a temporary Scalar (banned in src/: BannedSymbols.txt), written
/// with explicit Scalars held until libtorch returns. Why: a temporary Scalar can be finalized by a
/// collection on another thread while libtorch still reads it (docs/torchsharp.md).
/// </summary>
public static class HeldScalars
{
    /// <summary>0, 1, …, n − 1 as int64 (torch.arange(n)).</summary>
    public static Tensor Arange(long n, Device? device = null)
    {
        using Scalar start = 0L.ToScalar(), stop = n.ToScalar(), step = 1L.ToScalar();
        return arange(start, stop, step, ScalarType.Int64, device);
    }

    /// <summary>
    /// softplus(z) = ln(1 + eᶻ) (β 1), as logaddexp(z, 0) = max(z, 0) + ln(1 + e^−|z|): stable for any z, gradient
    /// sigmoid(z). Why not nn.functional.softplus: TorchSharp has no public overload taking held Scalars for β
    /// and the threshold. Equal to libtorch's softplus up to float rounding (a test checks values and gradients).
    /// </summary>
    public static Tensor Softplus(Tensor z)
    {
        using var zero = zeros(1, dtype: z.dtype, device: z.device);
        return z.logaddexp(zero);
    }
}
