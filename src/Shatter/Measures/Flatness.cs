using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Shatter.Measures;

/// <summary>
/// Monte-Carlo budgets and constants of the flatness measures (all seeded, so a rerun gives the same numbers).
/// Defaults keep the 18 runs of figure1 quick within a few minutes on 2 cores.
/// </summary>
public sealed record FlatnessSettings
{
    /// <summary>Training examples the flatness measures use (a seeded subset; 0 = all).</summary>
    public int Examples { get; init; } = 2000;
    /// <summary>Gaussian weight-noise draws per σ tried.</summary>
    public int Draws { get; init; } = 3;
    /// <summary>Bisection steps for σ′ after bracketing within a factor 2 (8: 0.4% of σ′).</summary>
    public int BisectionSteps { get; init; } = 8;
    /// <summary>Training-accuracy drop that defines σ′ (Jiang et al.: 0.1).</summary>
    public double AccuracyDrop { get; init; } = 0.1;
    /// <summary>ε of the magnitude-aware noise std σ′·|wᵢ| + ε.</summary>
    public double MagnitudeEpsilon { get; init; } = 1e-3;
    /// <summary>Half-width of the sharpness box, relative: |δᵢ| ≤ ε·(|wᵢ| + 1) (Keskar et al.: 1e-3).</summary>
    public double SharpnessBox { get; init; } = 1e-3;
    /// <summary>Projected sign-gradient ascent steps for sharpness.</summary>
    public int SharpnessSteps { get; init; } = 5;
    /// <summary>δ of the PAC-Bayes bound.</summary>
    public double Delta { get; init; } = 0.05;
    public long Seed { get; init; } = 1;
}

/// <summary>
/// Flatness measures on a model in eval mode: the PAC-Bayes σ′ (largest standard deviation — not
/// variance — of Gaussian weight noise that lowers the training accuracy by at most
/// <see cref="FlatnessSettings.AccuracyDrop"/>, averaged over draws), its magnitude-aware variant, and
/// sharpness (largest loss increase over a box, by projected gradient ascent). Every parameter is
/// perturbed (weights and biases; not batch-norm running statistics). The model's weights are restored.
/// </summary>
public static class Flatness
{
    const int Batch = 1000;

    /// <summary>Training accuracy on (x, y) in eval mode.</summary>
    public static double Accuracy(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y)
    {
        using var inference = inference_mode();
        model.eval();
        long correct = 0, n = x.shape[0];
        for (long s = 0; s < n; s += Batch)
        {
            using var scope = NewDisposeScope();
            long m = Math.Min(Batch, n - s);
            correct += model.call(x.narrow(0, s, m)).argmax(1).eq(y.narrow(0, s, m)).sum().item<long>();
        }
        return n == 0 ? 0 : correct / (double)n;
    }

    /// <summary>Mean cross-entropy on (x, y) in eval mode.</summary>
    public static double Loss(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y)
    {
        using var inference = inference_mode();
        model.eval();
        double sum = 0;
        long n = x.shape[0];
        for (long s = 0; s < n; s += Batch)
        {
            using var scope = NewDisposeScope();
            long m = Math.Min(Batch, n - s);
            sum += nn.functional.cross_entropy(model.call(x.narrow(0, s, m)), y.narrow(0, s, m), reduction: nn.Reduction.Sum).item<float>();
        }
        return sum / Math.Max(1, n);
    }

    /// <summary>
    /// σ′: the largest σ with mean over draws of acc(w + σ·ξ) ≥ acc(w) − drop, ξ ~ N(0, I) (or, magnitude-aware,
    /// w + (σ·|w| + ε)·ξ). The same ξ of each draw serves every σ tried. Bracketing by doubling from 1
    /// (down by halving while even the bracket's lower end fails), then bisection. +∞ when even σ = 2^20 passes
    /// (the allowed accuracy is at or below chance).
    /// </summary>
    public static double SigmaPrime(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y, FlatnessSettings s, bool magnitudeAware)
    {
        var parameters = model.parameters().ToList();
        var original = parameters.Select(p => p.detach().clone()).ToList();
        try
        {
            double target = Accuracy(model, x, y) - s.AccuracyDrop;
            bool Ok(double sigma) => PerturbedAccuracy(model, parameters, original, x, y, s, sigma, magnitudeAware) >= target;
            double lo = 0, hi = 1;
            for (int i = 0; i < 20 && Ok(hi); i++) (lo, hi) = (hi, hi * 2);
            // still within the allowed drop at σ = 2^20: the target is at or below chance (a run far from fitting),
            // and no amount of noise lowers the accuracy that far: σ′ is unbounded
            if (lo >= 1 << 19 && Ok(hi)) return double.PositiveInfinity;
            if (lo == 0)
                for (int i = 0; i < 30 && !Ok(hi / 2); i++) hi /= 2; // σ′ < 1: find a σ that passes, to bracket
            if (lo == 0) lo = hi / 2;
            for (int i = 0; i < s.BisectionSteps; i++)
            {
                double mid = (lo + hi) / 2;
                if (Ok(mid)) lo = mid; else hi = mid;
            }
            return lo;
        }
        finally
        {
            Restore(parameters, original);
            foreach (var t in original) t.Dispose();
        }
    }

    static double PerturbedAccuracy(nn.Module<Tensor, Tensor> model, List<Parameter> parameters, List<Tensor> original, Tensor x, Tensor y,
        FlatnessSettings s, double sigma, bool magnitudeAware)
    {
        double sum = 0;
        using var sg = sigma.ToScalar();
        using var eps = s.MagnitudeEpsilon.ToScalar();
        using var one = 1.0.ToScalar();
        for (int d = 0; d < s.Draws; d++)
        {
            using (var noGrad = no_grad())
            using (var gen = new Generator((ulong)Seeds.Derive(s.Seed, $"pac-bayes/draw/{d}")))
            {
                for (int i = 0; i < parameters.Count; i++)
                {
                    using var scope = NewDisposeScope();
                    var xi = randn(original[i].shape, dtype: original[i].dtype, generator: gen).to(original[i].device);
                    var std = magnitudeAware ? original[i].abs().mul(sg).add(eps, one) : full_like(original[i], sg);
                    parameters[i].copy_(original[i].add(std.mul(xi), one));
                }
            }
            sum += Accuracy(model, x, y);
        }
        Restore(parameters, original);
        return sum / s.Draws;
    }

    static void Restore(List<Parameter> parameters, List<Tensor> original)
    {
        using var noGrad = no_grad();
        for (int i = 0; i < parameters.Count; i++) parameters[i].copy_(original[i]);
    }

    /// <summary>
    /// Sharpness: max over the iterates of L(w + δ) − L(w), δ found by <see cref="FlatnessSettings.SharpnessSteps"/>
    /// steps of projected sign-gradient ascent on the cross-entropy within |δᵢ| ≤ ε·(|wᵢ| + 1), starting from
    /// a seeded uniform point of the box, step size half the box. Returns (increase, L(w)).
    /// </summary>
    public static (double Increase, double BaseLoss) Sharpness(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y, FlatnessSettings s)
    {
        var parameters = model.parameters().ToList();
        var original = parameters.Select(p => p.detach().clone()).ToList();
        using var box = s.SharpnessBox.ToScalar();
        using var one = 1.0.ToScalar();
        using var half = 0.5.ToScalar();
        using var two = 2.0.ToScalar();
        var radius = original.Select(w => w.abs().add(one, one).mul(box)).ToList();
        var delta = new List<Tensor>();
        using (var gen = new Generator((ulong)Seeds.Derive(s.Seed, "sharpness")))
            foreach (var r in radius)
                delta.Add(rand(r.shape, dtype: r.dtype, generator: gen).to(r.device).mul(two).sub(one).mul(r));
        try
        {
            double baseLoss = Loss(model, x, y), best = 0;
            model.eval();
            long n = x.shape[0];
            for (int step = 0; step <= s.SharpnessSteps; step++)
            {
                using (var noGrad = no_grad())
                    for (int i = 0; i < parameters.Count; i++) parameters[i].copy_(original[i].add(delta[i], one));
                if (step == s.SharpnessSteps)
                {
                    best = Math.Max(best, Loss(model, x, y) - baseLoss);
                    break;
                }
                model.zero_grad();
                double lossSum = 0;
                for (long start = 0; start < n; start += Batch)
                {
                    using var scope = NewDisposeScope();
                    long m = Math.Min(Batch, n - start);
                    var loss = nn.functional.cross_entropy(model.call(x.narrow(0, start, m)), y.narrow(0, start, m), reduction: nn.Reduction.Sum);
                    lossSum += loss.item<float>();
                    using var invN = (1.0 / n).ToScalar();
                    loss.mul(invN).backward();
                }
                best = Math.Max(best, lossSum / n - baseLoss);
                using (var noGrad = no_grad())
                    for (int i = 0; i < parameters.Count; i++)
                    {
                        if (parameters[i].grad is not { } g) continue;
                        using var scope = NewDisposeScope();
                        var moved = delta[i].add(g.sign().mul(radius[i]).mul(half), one);
                        delta[i].copy_(minimum(maximum(moved, radius[i].neg()), radius[i]));
                    }
            }
            model.zero_grad();
            return (best, baseLoss);
        }
        finally
        {
            Restore(parameters, original);
            foreach (var t in delta.Concat(radius)) t.Dispose();
            foreach (var t in original) t.Dispose();
        }
    }
}
