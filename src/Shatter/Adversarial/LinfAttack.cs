using TorchSharp;
using static TorchSharp.torch;
using Shatter.Results;

namespace Shatter.Adversarial;

/// <summary>
/// L∞ adversarial examples in pixel space. The images x are pixels in [0, 1] before the run's
/// per-image whitening; <c>forward</c> applies the whitening and the model, so the gradient runs
/// through the whitening and ε means exactly "each pixel moves by at most ε" (see docs/beyond.md).
/// FGSM: x + ε·sign(∇ₓL). PGD: <c>steps</c> steps of α = 2.5·ε/steps from x itself (no random start,
/// so results repeat), each followed by projection onto the ε-ball and the pixel box. An example counts
/// as broken if the model misclassifies it at any iterate, x included, so accuracy under attack never
/// exceeds clean accuracy.
/// </summary>
public static class LinfAttack
{
    /// <summary>Per example (bool, N): still classified as <paramref name="y"/> after the attack.</summary>
    /// <param name="forward">pixels (B, C, H, W) → logits (B, classes), differentiable.</param>
    /// <param name="box">Clamp adversarial pixels to [0, 1] (off for Gaussian inputs, which are not pixels).</param>
    public static bool[] Robust(Func<Tensor, Tensor> forward, Tensor x, Tensor y, AttackMethod method, double eps, int steps, bool box, int batch)
    {
        long n = x.shape[0];
        var robust = new bool[n];
        for (long start = 0; start < n; start += batch)
        {
            using var scope = NewDisposeScope();
            long m = Math.Min(batch, n - start);
            var xb = x.narrow(0, start, m);
            var yb = y.narrow(0, start, m);
            var ok = Batch(forward, xb, yb, method, eps, steps, box).cpu().data<bool>().ToArray();
            Array.Copy(ok, 0, robust, start, m);
        }
        return robust;
    }

    static Tensor Batch(Func<Tensor, Tensor> forward, Tensor x, Tensor y, AttackMethod method, double eps, int steps, bool box)
    {
        var ok = Correct(forward, x, y);
        if (eps == 0) return ok;
        int iterations = method == AttackMethod.Fgsm ? 1 : steps;
        double alpha = method == AttackMethod.Fgsm ? eps : 2.5 * eps / steps;
        using var alphaS = alpha.ToScalar();
        using var epsS = eps.ToScalar();
        using var minusEpsS = (-eps).ToScalar();
        using var zero = 0.0.ToScalar();
        using var one = 1.0.ToScalar();
        var adv = x.detach();
        for (int i = 0; i < iterations; i++)
        {
            Tensor grad;
            using (enable_grad())
            {
                var input = adv.detach().requires_grad_(true);
                var loss = nn.functional.cross_entropy(forward(input), y, reduction: nn.Reduction.Sum);
                grad = autograd.grad([loss], [input])[0];
            }
            using (no_grad())
            {
                var delta = adv.add(grad.sign().mul(alphaS), one).sub(x).clamp(minusEpsS, epsS);
                adv = x.add(delta, one);
                if (box) adv = adv.clamp(zero, one);
                ok = ok.logical_and(Correct(forward, adv, y));
            }
        }
        return ok;
    }

    static Tensor Correct(Func<Tensor, Tensor> forward, Tensor x, Tensor y)
    {
        using var _ = no_grad();
        return forward(x).argmax(1).eq(y);
    }
}
