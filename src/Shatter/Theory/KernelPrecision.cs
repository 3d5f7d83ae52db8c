namespace Shatter.Theory;

/// <summary>How <see cref="KernelSolver"/> stores the kernel matrix and factors it.</summary>
public enum KernelPrecision
{
    /// <summary>K in float64, factored in place in float64 (8n² bytes); residuals recomputed from the data.</summary>
    Float64,
    /// <summary>K in float32, factored in place (4n² bytes, for the full 60,000-image set); residuals recomputed from the data in float64.</summary>
    Float32,
    /// <summary>
    /// K kept in float64, factored in float32 (out of place, 16n² bytes at the peak) and refined against
    /// the stored float64 K until the residual stops falling: the float64 solution at the cost of a
    /// float32 factorization (LAPACK's dsposv does the same); falls back to a float64 factor when the
    /// refinement does not converge.
    /// </summary>
    Mixed,
}
