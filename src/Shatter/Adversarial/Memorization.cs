using Shatter.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Adversarial;

/// <summary>
/// The search settings of Arpit et al. 2017's critical sample ratio, as their released LASS code sets them for
/// pixels in [0, 1] (docs/beyond.md): each step moves every pixel by α·sign(∇ₓL) plus β·N(0, 1) noise, then
/// projects back into the L∞ ball of radius r around x (and the pixel box), for <see cref="MaxIterations"/> steps (fewer
/// only once every example is critical). The authors' code allows 100 steps but ends the search once a step finds fewer
/// than 20 new critical samples, which on Shatter's subsamples of hundreds would end it after one step; since α is
/// 0.83·r, two steps reach the ball's surface, and Shatter takes a fixed 20 (the rest is the noise's exploration).
/// </summary>
public sealed record CriticalSearch(double Radius, double Alpha, double Beta, int MaxIterations, bool Box)
{
    /// <summary>r = 0.3/255, α = 0.25/255, β = 0.2/255 (the authors' LASS defaults), 20 steps, the pixel box.</summary>
    public static CriticalSearch Paper { get; } = new(0.3 / 255, 0.25 / 255, 0.2 / 255, 20, Box: true);
}

/// <summary>
/// Arpit et al. 2017 ("A closer look at memorization in deep networks"), Section 3.3 and Algorithm 1, on a batch of
/// pixels (N, C, H, W) before the run's whitening; <c>forward</c> whitens and runs the model (differentiably), so
/// radii and gradients are in pixel units, as for <see cref="LinfAttack"/>. Everything is batched tensor code.
/// </summary>
public static class Memorization
{
    /// <summary>
    /// Loss sensitivity per example (float64, N): ‖∂L(f(xᵢ), yᵢ)/∂xᵢ‖₁, L the cross-entropy against the labels the
    /// model is trained on. One backward pass of the summed loss gives every example's own gradient (in eval mode the
    /// examples of a batch do not interact).
    /// </summary>
    public static Tensor LossSensitivity(Func<Tensor, Tensor> forward, Tensor x, Tensor y, int batch)
    {
        var parts = new List<Tensor>();
        for (long start = 0; start < x.shape[0]; start += batch)
        {
            long m = Math.Min(batch, x.shape[0] - start);
            using var scope = NewDisposeScope();
            using (enable_grad())
            {
                var input = x.narrow(0, start, m).detach().requires_grad_(true);
                var loss = nn.functional.cross_entropy(forward(input), y.narrow(0, start, m), reduction: nn.Reduction.Sum);
                var grad = autograd.grad([loss], [input])[0];
                parts.Add(grad.abs().flatten(1).sum(1).to_type(ScalarType.Float64).detach().MoveToOuterDisposeScope());
            }
        }
        if (parts.Count == 0) return zeros(0, dtype: ScalarType.Float64);
        var all = cat(parts, 0);
        foreach (var p in parts) p.Dispose();
        return all;
    }

    /// <summary>
    /// Critical samples (bool, N): whether the sign-gradient Langevin search (LASS) finds, within L∞ radius r of xᵢ, a
    /// point the model classifies differently from xᵢ. The gradient is that of the cross-entropy against the model's
    /// own prediction at xᵢ (ascent moves away from it); noise β·N(0, 1) is drawn from <paramref name="noise"/>.
    /// Every example takes each step together; the search takes <see cref="CriticalSearch.MaxIterations"/> steps, or
    /// stops once every example is critical.
    /// </summary>
    public static Tensor Critical(Func<Tensor, Tensor> forward, Tensor x, CriticalSearch search, Generator noise, int batch)
    {
        long n = x.shape[0];
        using var alphaS = search.Alpha.ToScalar();
        using var betaS = search.Beta.ToScalar();
        using var rS = search.Radius.ToScalar();
        using var minusRS = (-search.Radius).ToScalar();
        using var zero = 0.0.ToScalar();
        using var one = 1.0.ToScalar();
        Tensor predicted;
        using (no_grad()) predicted = Predict(forward, x, batch);                     // (N) the model's classes at x
        var critical = zeros(n, dtype: ScalarType.Bool);
        var adv = x.detach().clone();
        try
        {
            for (int iteration = 0; iteration < search.MaxIterations; iteration++)
            {
                var grad = InputGradient(forward, adv, predicted, batch);
                using var scope = NewDisposeScope();
                Tensor found;
                using (no_grad())
                {
                    var step = grad.sign().mul(alphaS);
                    if (search.Beta > 0) step = step.add(randn(x.shape, dtype: x.dtype, generator: noise).to(x.device).mul(betaS), one);
                    var delta = adv.add(step, one).sub(x).clamp(minusRS, rS);       // projection onto the L∞ ball around x
                    var next = x.add(delta, one);
                    if (search.Box) next = next.clamp(zero, one);
                    adv.Dispose();
                    adv = next.MoveToOuterDisposeScope();
                    found = Predict(forward, adv, batch).ne(predicted).cpu().logical_and(critical.logical_not());
                }
                grad.Dispose();
                critical.logical_or_(found);
                if (critical.all().item<bool>()) break;
            }
        }
        finally
        {
            adv.Dispose();
            predicted.Dispose();
        }
        return critical;
    }

    /// <summary>Mean of <paramref name="values"/> over the examples where <paramref name="mask"/> holds (NaN if none), and their count.</summary>
    public static (double Mean, int Count) MeanOver(Tensor values, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var m = mask.cpu();
        int count = (int)m.sum().item<long>();
        if (count == 0) return (double.NaN, 0);
        return (values.cpu().to_type(ScalarType.Float64).masked_select(m).mean().item<double>(), count);
    }

    static Tensor Predict(Func<Tensor, Tensor> forward, Tensor x, int batch)
    {
        using var _ = no_grad();
        var parts = new List<Tensor>();
        for (long start = 0; start < x.shape[0]; start += batch)
            parts.Add(forward(x.narrow(0, start, Math.Min(batch, x.shape[0] - start))).argmax(1));
        var all = cat(parts, 0);
        foreach (var p in parts) p.Dispose();
        return all;
    }

    /// <summary>∇ₓ of the summed cross-entropy against <paramref name="target"/> at <paramref name="x"/> (N, C, H, W).</summary>
    static Tensor InputGradient(Func<Tensor, Tensor> forward, Tensor x, Tensor target, int batch)
    {
        var parts = new List<Tensor>();
        for (long start = 0; start < x.shape[0]; start += batch)
        {
            long m = Math.Min(batch, x.shape[0] - start);
            using var scope = NewDisposeScope();
            using (enable_grad())
            {
                var input = x.narrow(0, start, m).detach().requires_grad_(true);
                var loss = nn.functional.cross_entropy(forward(input), target.narrow(0, start, m), reduction: nn.Reduction.Sum);
                parts.Add(autograd.grad([loss], [input])[0].detach().MoveToOuterDisposeScope());
            }
        }
        var all = cat(parts, 0);
        foreach (var p in parts) p.Dispose();
        return all;
    }
}
