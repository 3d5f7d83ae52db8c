using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Shatter.Training;

/// <summary>
/// Adam (Kingma &amp; Ba 2015) as PyTorch's torch.optim.Adam without weight decay or AMSGrad, for every
/// parameter p with gradient g at step t:
/// <code>
///   m = β₁·m + (1 − β₁)·g
///   v = β₂·v + (1 − β₂)·g²
///   p = p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// Why not TorchSharp's Adam: its step converts β₁, 1 − β₁, ε and −lr/(1 − β₁ᵗ) to Scalars implicitly,
/// and a garbage collection can free such a temporary while libtorch reads it (docs/torchsharp.md). Here
/// every Scalar is held for the whole call. The operations and their order are TorchSharp's, so the result
/// is the same bit for bit (a test checks it). Used by the vc experiment (ShatteringExperiment).
/// </summary>
public sealed class Adam : IDisposable
{
    readonly Parameter[] parameters;
    readonly Tensor?[] means, squares;          // m and v, null until a parameter's first step
    readonly Scalar beta1, oneMinusBeta1, beta2, oneMinusBeta2, eps, one;
    readonly double b1, b2;
    int steps;

    public double LearningRate { get; set; }

    public Adam(IEnumerable<Parameter> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    {
        if (!(learningRate >= 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "the learning rate must be 0 or positive");
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "β₁ must be in [0, 1)");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "β₂ must be in [0, 1)");
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "ε must be 0 or positive");
        this.parameters = parameters.ToArray();
        means = new Tensor?[this.parameters.Length];
        squares = new Tensor?[this.parameters.Length];
        LearningRate = learningRate;
        b1 = beta1;
        b2 = beta2;
        this.beta1 = beta1.ToScalar();
        oneMinusBeta1 = (1 - beta1).ToScalar();
        this.beta2 = beta2.ToScalar();
        oneMinusBeta2 = (1 - beta2).ToScalar();
        this.eps = eps.ToScalar();
        one = 1.0.ToScalar();
    }

    /// <summary>Sets every gradient to zero (as TorchSharp's optimizers do).</summary>
    public void ZeroGrad() => Gradients.Zero(parameters);

    /// <summary>One update of every parameter that has a gradient, at <see cref="LearningRate"/>.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        steps++;
        double correction1 = 1 - Math.Pow(b1, steps), correction2 = 1 - Math.Pow(b2, steps);
        using var rootCorrection2 = Math.Sqrt(correction2).ToScalar();
        using var step = (-(LearningRate / correction1)).ToScalar();
        for (int i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            var grad = p.grad;
            if (grad is null) continue;
            var m = means[i] ??= zeros_like(p).DetachFromDisposeScope();
            var v = squares[i] ??= zeros_like(p).DetachFromDisposeScope();
            m.mul_(beta1).add_(grad, oneMinusBeta1);                             // m = β₁·m + (1 − β₁)·g
            v.mul_(beta2).addcmul_(grad, grad.conj(), oneMinusBeta2);            // v = β₂·v + (1 − β₂)·g²
            var denom = v.sqrt().div(rootCorrection2).add_(eps, one);                 // √v / √(1 − β₂ᵗ) + ε
            p.addcdiv_(m, denom, step);                                          // p −= lr/(1 − β₁ᵗ) · m / denom
        }
    }

    public void Dispose()
    {
        foreach (var t in means) t?.Dispose();
        foreach (var t in squares) t?.Dispose();
        Array.Clear(means);
        Array.Clear(squares);
        beta1.Dispose();
        oneMinusBeta1.Dispose();
        beta2.Dispose();
        oneMinusBeta2.Dispose();
        eps.Dispose();
        one.Dispose();
    }
}
