using TorchSharp;
using TorchSharp.Modules;
using BatchNorm2d = Shatter.Models.BatchNorm2d;
using static TorchSharp.torch;

namespace Shatter.Measures;

/// <summary>
/// Norm-based complexity measures of a network's weight matrices Aᵢ (float64, from <see cref="LayerWeights"/>),
/// with Mᵢ the same matrices at initialisation. Formulas and sources: docs/measures.md.
/// </summary>
public static class NormMeasures
{
    /// <summary>‖A‖_F.</summary>
    public static double Frobenius(Tensor a)
    {
        using var scope = NewDisposeScope();
        return a.mul(a).sum().sqrt().item<double>();
    }

    /// <summary>‖A‖σ, the largest singular value.</summary>
    public static double Spectral(Tensor a)
    {
        using var s = linalg.svdvals(a);
        return s.max().item<double>();
    }

    /// <summary>
    /// ‖Aᵀ‖₂,₁ in Bartlett et al.'s notation for a layer x ↦ Ax: the sum over the rows of A (one row per
    /// output unit) of their ℓ2 norms.
    /// </summary>
    public static double TwoOneOfTranspose(Tensor a)
    {
        using var scope = NewDisposeScope();
        return a.mul(a).sum(1).sqrt().sum().item<double>();
    }

    public sealed record Norms(
        int Layers, double FrobeniusSum, double FrobeniusProduct, double SpectralProduct, double SpectralSum,
        double DistanceFromInit, double SpectralComplexity, double[] SpectralPerLayer, double[] FrobeniusPerLayer);

    /// <summary>
    /// Σ‖Aᵢ‖_F, ∏‖Aᵢ‖_F, ∏‖Aᵢ‖σ, Σ‖Aᵢ‖σ, √Σ‖Aᵢ − Mᵢ‖²_F and Bartlett et al.'s spectral complexity
    /// R = ∏‖Aᵢ‖σ · (Σ (‖(Aᵢ − Mᵢ)ᵀ‖₂,₁ / ‖Aᵢ‖σ)^{2/3})^{3/2} (Lipschitz constants of the activations and
    /// poolings taken as 1).
    /// </summary>
    public static Norms Of(IReadOnlyList<Tensor> weights, IReadOnlyList<Tensor> initial)
    {
        if (weights.Count != initial.Count || weights.Count == 0)
            throw new ArgumentException($"{weights.Count} layers against {initial.Count} initial ones");
        using var scope = NewDisposeScope();
        var fro = weights.Select(Frobenius).ToArray();
        var spec = weights.Select(Spectral).ToArray();
        double dist2 = 0, inner = 0;
        for (int i = 0; i < weights.Count; i++)
        {
            var d = weights[i].sub(initial[i]);
            dist2 += d.mul(d).sum().item<double>();
            inner += Math.Pow(TwoOneOfTranspose(d) / spec[i], 2.0 / 3.0);
        }
        double specProduct = spec.Aggregate(1.0, (p, x) => p * x);
        return new Norms(weights.Count, fro.Sum(), fro.Aggregate(1.0, (p, x) => p * x), specProduct, spec.Sum(),
            Math.Sqrt(dist2), specProduct * Math.Pow(inner, 1.5), spec, fro);
    }

    /// <summary>
    /// The ℓ2 path norm √(Σ over input→output paths of ∏ w²): the network itself with every linear and
    /// convolution weight squared, biases, batch-norm shifts and other parameters set to 0, evaluated on an
    /// all-ones input of shape (1, C, H, W) and summed over the outputs (Neyshabur et al. 2015; computed as
    /// Jiang et al. 2019 do, so max-pooling and AlexNet's LRN stay in the network). Changes <paramref name="folded"/>:
    /// pass a copy with batch norm already folded.
    /// </summary>
    public static double PathNorm(nn.Module<Tensor, Tensor> folded, (int Channels, int Height, int Width) input)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var zero = 0.0.ToScalar();
        using var one = 1.0.ToScalar();
        var handled = new HashSet<string>();
        foreach (var (name, module) in folded.named_modules())
        {
            string prefix = name.Length == 0 ? "" : name + ".";
            switch (module)
            {
                case Conv2d c:
                    c.weight!.mul_(c.weight!);
                    c.bias?.fill_(zero);
                    break;
                case Linear l:
                    l.weight!.mul_(l.weight!);
                    l.bias?.fill_(zero);
                    break;
                case BatchNorm2d bn:
                    bn.Weight?.fill_(one);
                    bn.Bias?.fill_(zero);
                    bn.RunningMean.fill_(zero);
                    break;
                default:
                    continue;
            }
            handled.Add(prefix + "weight");
            handled.Add(prefix + "bias");
        }
        foreach (var (name, p) in folded.named_parameters())
            if (!handled.Contains(name)) p.fill_(zero); // e.g. Inception's BN shift beta
        folded.eval();
        var output = folded.call(ones(1, input.Channels, input.Height, input.Width));
        return Math.Sqrt(output.to_type(ScalarType.Float64).sum().item<double>());
    }
}
