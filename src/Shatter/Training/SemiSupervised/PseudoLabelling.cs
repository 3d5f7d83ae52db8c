using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Training.SemiSupervised;

/// <summary>
/// The unlabelled losses of pseudo-labelling (Lee 2013) and FixMatch (Sohn et al. 2020) as pure tensor functions.
/// FixMatch, as google-research/fixmatch computes it (fixmatch.py): q = softmax(weak logits) with no gradient;
/// targets argmax q; mask max q ≥ τ (at τ counts as confident); ℓ_u = mean over ALL μB unlabelled examples of
/// mask·CE(strong logits, target) — the unconfident contribute 0 but still count in the mean.
/// Lee: every unlabelled example takes the argmax of the network's current output as its label (recomputed at every
/// update, no threshold): ℓ' = mean CE(logits, argmax logits), weighted by α(t) (<see cref="LeeWeight"/>).
/// </summary>
public static class PseudoLabelling
{
    /// <summary>bool (B): max over classes of <paramref name="probabilities"/> (B, C) at least <paramref name="threshold"/>.</summary>
    public static Tensor ConfidentMask(Tensor probabilities, double threshold)
    {
        using var scope = NewDisposeScope();
        using Scalar tau = threshold.ToScalar();
        return probabilities.max(1).values.ge(tau).MoveToOuterDisposeScope();
    }

    /// <summary>FixMatch's ℓ_u from the weak view's logits (μB, C) and the strong view's (μB, C).</summary>
    public static FixMatchTerm FixMatch(Tensor weakLogits, Tensor strongLogits, double threshold)
    {
        if (!weakLogits.shape.SequenceEqual(strongLogits.shape))
            throw new ArgumentException($"weak logits ({string.Join("×", weakLogits.shape)}) and strong logits ({string.Join("×", strongLogits.shape)}) must match");
        using var scope = NewDisposeScope();
        var probabilities = weakLogits.detach().softmax(1);                               // stop-gradient, as tf.stop_gradient
        var targets = probabilities.argmax(1);                                             // (μB)
        var mask = ConfidentMask(probabilities, threshold);                                // (μB)
        var perExample = nn.functional.cross_entropy(strongLogits, targets, reduction: nn.Reduction.None);
        var loss = perExample.mul(mask.to_type(perExample.dtype)).mean();
        double rate = mask.shape[0] == 0 ? 0 : mask.to_type(ScalarType.Float64).mean().item<double>();
        return new FixMatchTerm(loss.MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope(), targets.MoveToOuterDisposeScope(), rate);
    }

    /// <summary>Lee's unlabelled loss: mean cross-entropy of logits (B', C) against their own (detached) argmax.</summary>
    public static Tensor PseudoLabel(Tensor logits)
    {
        using var scope = NewDisposeScope();
        var targets = logits.detach().argmax(1);
        return nn.functional.cross_entropy(logits, targets).MoveToOuterDisposeScope();
    }

    /// <summary>Lee's α(t): 0 before T₁, α_f·(t − T₁)/(T₂ − T₁) between, α_f from T₂ on.</summary>
    public static double LeeWeight(double t, PseudoLabelOptions options)
    {
        options.Validate();
        if (t < options.RampStart) return 0;
        if (t >= options.RampEnd) return options.FinalWeight;
        return options.FinalWeight * (t - options.RampStart) / (options.RampEnd - options.RampStart);
    }

    /// <summary>The step's loss: labelled + weight·unlabelled (λ_u for FixMatch, α(t) for Lee).</summary>
    public static Tensor Combine(Tensor labelledLoss, Tensor unlabelledLoss, double weight)
    {
        using var w = weight.ToScalar();
        return labelledLoss.add(unlabelledLoss, w);
    }
}
