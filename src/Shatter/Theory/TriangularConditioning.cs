using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Theory;

/// <summary>
/// The 1-norm condition number of a lower-triangular matrix, κ₁(A) = ‖A‖₁‖A⁻¹‖₁, with ‖A⁻¹‖₁ from
/// Hager's estimator (Higham, "Accuracy and Stability of Numerical Algorithms", Alg. 15.1 — the one
/// LAPACK's xTRCON uses): a few solves with A and Aᵀ, O(n²) each, instead of forming A⁻¹ (O(n³)).
/// The estimate is a lower bound that is exact in most cases.
/// </summary>
public static class TriangularConditioning
{
    /// <summary>κ₁ of the lower-triangular (n, n) matrix; +∞ when A is singular in its precision.</summary>
    public static double ConditionEstimate(Tensor lower)
    {
        using var scope = NewDisposeScope();
        long n = lower.shape[0];
        double normA = lower.abs().sum([0L]).max().to_type(ScalarType.Float64).item<double>();
        double normInverse = InverseNormEstimate(lower);
        return normA * normInverse;
    }

    /// <summary>Hager's estimate of ‖A⁻¹‖₁ for a lower-triangular A.</summary>
    public static double InverseNormEstimate(Tensor lower)
    {
        using var scope = NewDisposeScope();
        long n = lower.shape[0];
        // numbers go to libtorch as Scalars held until the calls return (docs/torchsharp.md)
        using Scalar fill = (1.0 / n).ToScalar(), zero = 0.ToScalar(), minusOne = (-1).ToScalar();
        var x = full(n, 1, fill, dtype: lower.dtype);                                            // (n, 1)
        double estimate = 0;
        for (int k = 0; k < 5; k++)
        {
            var y = linalg.solve_triangular(lower, x, upper: false);                              // A y = x
            double next = y.abs().sum().to_type(ScalarType.Float64).item<double>();
            if (!double.IsFinite(next)) return double.PositiveInfinity;
            if (k > 0 && next <= estimate) break;
            estimate = next;
            var xi = where(y.ge(zero), ones_like(y), full_like(y, minusOne));                              // sign(y), 0 → +1
            var z = linalg.solve_triangular(lower.t(), xi, upper: true);                          // Aᵀ z = ξ
            var absZ = z.abs().flatten();
            long j = absZ.argmax().item<long>();
            double zx = z.flatten().dot(x.flatten()).to_type(ScalarType.Float64).item<double>();
            if (k > 0 && absZ[j].to_type(ScalarType.Float64).item<double>() <= zx) break;
            x = zeros_like(x);
            x[j, 0] = tensor(1.0, dtype: lower.dtype);
        }
        return estimate;
    }
}
