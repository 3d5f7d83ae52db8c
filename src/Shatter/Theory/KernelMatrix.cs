using static TorchSharp.torch;

namespace Shatter.Theory;

/// <summary>
/// The kernel matrix built in row blocks, so that no temporary is larger than a block, and products
/// K(z, x)·α computed block by block from the data without storing the matrix (for residuals and
/// predictions).
/// </summary>
public static class KernelMatrix
{
    /// <summary>K(x, x), (n, n) in <paramref name="dtype"/>, for x (n, d); the data are cast to dtype first.</summary>
    public static Tensor Build(KernelFunction kernel, Tensor x, ScalarType dtype, int blockRows = 2048)
    {
        long n = x.shape[0];
        var k = empty(n, n, dtype: dtype);
        using var xd = x.to_type(dtype);
        for (long s = 0; s < n; s += blockRows)
        {
            using var scope = NewDisposeScope();
            long rows = Math.Min(blockRows, n - s);
            k.narrow(0, s, rows).copy_(kernel.Block(xd.narrow(0, s, rows), xd));
        }
        return k;
    }

    /// <summary>
    /// K(z, x)·α, (m, c) float64, for z (m, d), x (n, d) and α (n, c): kernel blocks computed in float64
    /// from the data, so the product is as exact as the data allow whatever precision a factor used.
    /// </summary>
    public static Tensor Multiply(KernelFunction kernel, Tensor z, Tensor x, Tensor alpha, ScalarType blockType = ScalarType.Float64, int blockRows = 1024)
    {
        long m = z.shape[0];
        var result = empty(m, alpha.shape[1], dtype: ScalarType.Float64);
        using var xd = x.to_type(blockType);
        using var alphaD = alpha.to_type(blockType);
        for (long s = 0; s < m; s += blockRows)
        {
            using var scope = NewDisposeScope();
            long rows = Math.Min(blockRows, m - s);
            var block = kernel.Block(z.narrow(0, s, rows).to_type(blockType), xd);     // (rows, n)
            result.narrow(0, s, rows).copy_(block.matmul(alphaD));
        }
        return result;
    }
}
