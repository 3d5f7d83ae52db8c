using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Corruptions;

/// <summary>How a corrupted label is redrawn.</summary>
public enum LabelNoiseMode
{
    /// <summary>The paper's: uniform over all classes, so it may by chance equal the true one (default).</summary>
    Uniform,
    /// <summary>Uniform over the other classes: every drawn label really changes.</summary>
    Different,
}

/// <summary>
/// Labels after corruption. <see cref="Drawn"/> marks the examples whose label was redrawn (probability
/// p each); <see cref="Changed"/> those whose label now differs from the true one (bool, N each).
/// </summary>
public sealed record LabelCorruptionResult(Tensor Labels, Tensor Drawn, Tensor Changed, double FractionChanged) : IDisposable
{
    public void Dispose()
    {
        Labels.Dispose();
        Drawn.Dispose();
        Changed.Dispose();
    }
}

/// <summary>
/// Partially corrupted and random labels (paper §2): independently with probability p each training
/// label is replaced by a random class. A pure function of (labels, p, mode, seed), applied once.
/// </summary>
public static class LabelNoise
{
    public static LabelCorruptionResult Apply(Tensor labels, int classes, double p, LabelNoiseMode mode, long seed)
    {
        if (!(p >= 0 && p <= 1)) throw new ShatterException($"label noise must be a probability between 0 and 1, not {p}.");
        if (classes < 2) throw new ShatterException($"label noise needs at least 2 classes, the dataset has {classes}.");
        using var scope = NewDisposeScope();
        using var gen = new Generator((ulong)seed);
        long n = labels.shape[0];
        // every draw from a CPU generator (the same stream wherever the labels live), then moved to their device
        // numbers go to libtorch as Scalars held until the call returns (docs/torchsharp.md)
        using Scalar probability = p.ToScalar(), one = 1.ToScalar(), classCount = classes.ToScalar();
        var drawn = rand(n, generator: gen).lt(probability).to(labels.device);
        var redrawn = mode == LabelNoiseMode.Uniform
            ? randint(classes, [n], generator: gen, dtype: ScalarType.Int64).to(labels.device)
            // a uniform offset in 1..classes-1 lands uniformly on the other classes
            : labels.add(randint(1, classes, [n], generator: gen, dtype: ScalarType.Int64).to(labels.device), one).remainder(classCount);
        var noisy = where(drawn, redrawn, labels);
        var changed = noisy.ne(labels);
        double fraction = n == 0 ? 0 : changed.to_type(ScalarType.Float64).mean().item<double>();
        return new LabelCorruptionResult(noisy.MoveToOuterDisposeScope(), drawn.MoveToOuterDisposeScope(), changed.MoveToOuterDisposeScope(), fraction);
    }
}
