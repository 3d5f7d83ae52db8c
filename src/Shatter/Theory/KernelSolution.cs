using static TorchSharp.torch;

namespace Shatter.Theory;

/// <summary>
/// α (n, c) float64 solving (K + λI)α = y, Kα (n, c) float64 computed from the data, the relative
/// residual ‖y − (K + λI)α‖_F / ‖y‖_F, the refinement steps taken and the seconds spent. Owns its tensors.
/// </summary>
public sealed record KernelSolution(Tensor Alpha, Tensor KAlpha, double RelativeResidual, int Refinements, double Seconds) : IDisposable
{
    /// <summary>The RKHS norm of f = Σ α_i k(x_i, ·), summed over the c outputs: √(Σ_c α_cᵀKα_c).</summary>
    public double RkhsNorm => Math.Sqrt(Math.Max(0, Alpha.mul(KAlpha).sum().item<double>()));

    public void Dispose()
    {
        Alpha.Dispose();
        KAlpha.Dispose();
    }
}
