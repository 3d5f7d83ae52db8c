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
            long rows = Math.Min(blockRows, n - s);
            using var target = k.narrow(0, s, rows);
            using var xs = xd.narrow(0, s, rows);
            kernel.BlockInto(target, xs, xd);
        }
        return k;
    }

    /// <summary>
    /// The lower block triangle of K(x, x), (n, n) in <paramref name="dtype"/>: row block [s, s + rows) is
    /// computed for columns [0, s + rows) only, so the diagonal blocks are whole and everything right of
    /// them is 0. Half the work of <see cref="Build"/>; enough for the Cholesky factorization (which reads
    /// the lower triangle) and for <see cref="MultiplyLower"/>.
    /// </summary>
    public static Tensor BuildLower(KernelFunction kernel, Tensor x, ScalarType dtype, int blockRows = 1024)
    {
        long n = x.shape[0];
        var k = zeros(n, n, dtype: dtype);                                                // zero pages cost nothing until written
        using var xd = x.to_type(dtype);
        for (long s = 0; s < n; s += blockRows)
        {
            long rows = Math.Min(blockRows, n - s);
            using var target = k.narrow(0, s, rows).narrow(1, 0, s + rows);               // (rows, s + rows) view
            using var xs = xd.narrow(0, s, rows);
            using var z = xd.narrow(0, 0, s + rows);
            kernel.BlockInto(target, xs, z);
        }
        return k;
    }

    /// <summary>
    /// Fills the part of <paramref name="lower"/> right of its diagonal blocks (as <see cref="BuildLower"/> leaves it,
    /// same <paramref name="blockRows"/>) from the part below them, in place: the whole symmetric K, whose products
    /// K·α are then one GEMM. One transposed copy of the lower half (0.25 CPU s at n = 10,000) where each
    /// <see cref="MultiplyLower"/> costs ~0.3 CPU s more than the GEMM over the whole matrix.
    /// </summary>
    public static void MirrorLower(Tensor lower, int blockRows = 1024)
    {
        long n = lower.shape[0];
        for (long s = 0; s < n; s += blockRows)
        {
            long rows = Math.Min(blockRows, n - s), after = n - s - rows;
            if (after == 0) break;
            using var right = lower.narrow(0, s, rows).narrow(1, s + rows, after);      // (rows, after), not computed
            using var below = lower.narrow(0, s + rows, after).narrow(1, s, rows);      // (after, rows), computed
            using var transposed = below.t();
            right.copy_(transposed);
        }
    }

    /// <summary>
    /// K·α, (n, c), for the symmetric K stored as <see cref="BuildLower"/> leaves it (lower block triangle,
    /// same <paramref name="blockRows"/>) and α (n, c) of K's dtype: row block i is its stored row
    /// segment times α plus the stored column panel below its diagonal block, transposed, times the rest of α.
    /// One read of the stored half, no kernel recomputed.
    /// </summary>
    public static Tensor MultiplyLower(Tensor lower, Tensor alpha, int blockRows = 1024)
    {
        long n = lower.shape[0];
        var result = empty(n, alpha.shape[1], dtype: lower.dtype);
        using var rowMajor = alpha.contiguous();                                          // a column-major α (a trsm result) made every block product 4× slower
        alpha = rowMajor;
        for (long s = 0; s < n; s += blockRows)
        {
            using var scope = NewDisposeScope();
            long rows = Math.Min(blockRows, n - s), after = n - s - rows;
            var row = result.narrow(0, s, rows);
            row.copy_(lower.narrow(0, s, rows).narrow(1, 0, s + rows).matmul(alpha.narrow(0, 0, s + rows)));
            if (after > 0)
                row.addmm_(lower.narrow(0, s + rows, after).narrow(1, s, rows).t(), alpha.narrow(0, s + rows, after), beta: 1, alpha: 1);
        }
        return result;
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
            var block = kernel.Block(z.narrow(0, s, rows).to_type(blockType), xd);      // (rows, n)
            result.narrow(0, s, rows).copy_(block.matmul(alphaD));
        }
        return result;
    }
}
