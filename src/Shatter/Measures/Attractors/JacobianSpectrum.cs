using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Measures.Attractors;

/// <summary>
/// The modulus of the top eigenvalue (spectral radius) of the Jacobian J = ∂f/∂x of a map f: ℝ^d → ℝ^d at points x,
/// by power iteration with Jacobian-vector products, never forming J. A fixed point x = f(x) is an attractor when the
/// spectral radius is below 1 (Radhakrishnan, Belkin and Uhler, PNAS 2020: then iterating f from nearby returns to x).
/// J·v comes from double backward: g(u) = Jᵀu = ∂(uᵀf(x))/∂x is linear in u, so ∂(gᵀv)/∂u = J·v (one graph, reused
/// for every iteration). Batched: f maps each image on its own (eval mode, no batch statistics), so J is block
/// diagonal and each image gets its own vector.
/// Estimator: with v_{k+1} = J v_k / ‖J v_k‖, ρ ≈ exp(mean over the last half of the iterations of log ‖J v_k‖). For a
/// dominant real eigenvalue this is |λ₁| after the transient; for a dominant complex pair, where ‖J v_k‖ oscillates, the
/// mean of the logs still tends to log|λ₁| (Gelfand's formula ρ = lim ‖Jᵏ‖^{1/k}), which the plain last ratio does not.
/// </summary>
public static class JacobianSpectrum
{
    /// <summary>Spectral radius estimate per image of <paramref name="x"/> (N, ...), from <paramref name="iterations"/> JVPs.</summary>
    public static double[] TopEigenvalueModulus(nn.Module<Tensor, Tensor> f, Tensor x, int iterations, Generator generator)
    {
        if (iterations < 2) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, "power iteration needs at least 2 steps");
        using var scope = NewDisposeScope();
        long n = x.shape[0];
        using Scalar tiny = 1e-30.ToScalar(), one = 1.ToScalar();
        var point = x.detach().clone().requires_grad_(true);
        var y = f.call(point);
        if (!y.requires_grad) return new double[n];                       // f ignores its input: J = 0
        var u = zeros_like(y).requires_grad_(true);
        var jtu = autograd.grad([y], [point], [u], create_graph: true, allow_unused: true)[0]; // Jᵀu, (N, ...)
        var v = randn(x.shape, generator: generator).to(x.device);
        v = v.div(Norms(v).clamp_min(tiny).view(Broadcast(n, x.dim())));
        var logSum = zeros(n, dtype: ScalarType.Float64);
        int counted = 0;
        for (int k = 0; k < iterations; k++)
        {
            var jv = Jvp(jtu, u, v);                                      // (N, ...)
            var norms = Norms(jv).clamp_min(tiny);                        // (N)
            if (k >= iterations / 2)
            {
                logSum = logSum.add(norms.log().to_type(ScalarType.Float64), one);
                counted++;
            }
            v = jv.div(norms.view(Broadcast(n, x.dim()))).detach();
        }
        using Scalar count = counted.ToScalar();
        return logSum.div(count).exp().data<double>().ToArray();
    }

    /// <summary>J·v from Jᵀu (built with a graph in u); zero when f does not depend on its input at all.</summary>
    static Tensor Jvp(Tensor jtu, Tensor u, Tensor v)
    {
        if (jtu.IsInvalid || !jtu.requires_grad) return zeros_like(v);
        var jv = autograd.grad([jtu], [u], [v], retain_graph: true, allow_unused: true)[0];
        return jv.IsInvalid ? zeros_like(v) : jv.detach();
    }

    /// <summary>‖row‖₂ per image of (N, ...).</summary>
    static Tensor Norms(Tensor t) => t.flatten(1).norm(1);

    static long[] Broadcast(long n, long dims)
    {
        var shape = new long[dims];
        Array.Fill(shape, 1L);
        shape[0] = n;
        return shape;
    }
}
