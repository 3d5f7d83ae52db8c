namespace Shatter.Theory;

/// <summary>The kernels of minimum-norm interpolation.</summary>
public enum KernelKind
{
    /// <summary>k(x, z) = exp(−γ‖x − z‖²).</summary>
    Gaussian,
    /// <summary>k(x, z) = ⟨x, z⟩ (rank ≤ d: interpolates at most d points).</summary>
    Linear,
    /// <summary>k(x, z) = (γ⟨x, z⟩ + c₀)^degree.</summary>
    Polynomial,
}
