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
}
