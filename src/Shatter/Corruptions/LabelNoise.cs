using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Corruptions;

/// <summary>Where a corrupted label goes. Every mode redraws each training label with probability p.</summary>
public enum LabelNoiseMode
{
    /// <summary>The paper's: uniform over all classes, so it may by chance equal the true one (default).</summary>
    Uniform,
    /// <summary>Uniform over the other classes: every drawn label really changes.</summary>
    Different,
    /// <summary>Class c goes to class c + 1 mod C (Han et al. 2018's "pair flipping").</summary>
    PairFlip,
    /// <summary>A documented map of confusable classes per dataset (<see cref="ConfusableClasses"/>); unmapped classes keep their label.</summary>
    Asymmetric,
    /// <summary>The new label is drawn from row y of a user's C×C transition matrix (<c>--transition FILE</c>).</summary>
    Matrix,
    /// <summary>Instance-dependent (Xia et al. 2020): each example's flip rate and flip distribution depend on its image.</summary>
    Instance,
}

/// <summary>
/// Labels after corruption. <see cref="Drawn"/> marks the examples whose label was redrawn (probability
/// p each); <see cref="Changed"/> those whose label now differs from the true one (bool, N each).
/// <see cref="Transition"/>: the realized counts [true class, noisy class] (C×C), null for an empty set.
/// </summary>
public sealed record LabelCorruptionResult(Tensor Labels, Tensor Drawn, Tensor Changed, double FractionChanged) : IDisposable
{
    public long[,] Transition { get; init; } = new long[0, 0];

    public void Dispose()
    {
        Labels.Dispose();
        Drawn.Dispose();
        Changed.Dispose();
    }
}

/// <summary>
/// Partially corrupted and random labels (paper §2) and structured label noise: independently with
/// probability p each training label is redrawn, uniformly (the paper) or from a transition row
/// (pair-flip, asymmetric, matrix), or with a per-example rate and distribution (instance).
/// A pure function of (labels, p, mode, transition or features, seed), applied once.
/// </summary>
public static class LabelNoise
{
    /// <summary>Standard deviation of the per-example flip rates of instance noise (Xia et al. 2020: 0.1).</summary>
    public const double InstanceRateStd = 0.1;

    /// <param name="transition">Row-stochastic C×C matrix the drawn labels are redrawn from: needed by asymmetric
    /// and matrix (see <see cref="ConfusableClasses"/>, <see cref="TransitionFile"/>); pair-flip builds its own.</param>
    /// <param name="features">(N, ...) float features of the examples: needed by instance noise.</param>
    public static LabelCorruptionResult Apply(Tensor labels, int classes, double p, LabelNoiseMode mode, long seed,
        double[,]? transition = null, Tensor? features = null)
    {
        if (!(p >= 0 && p <= 1)) throw new ShatterException($"label noise must be a probability between 0 and 1, not {p}.");
        if (classes < 2) throw new ShatterException($"label noise needs at least 2 classes, the dataset has {classes}.");
        using var scope = NewDisposeScope();
        using var gen = new Generator((ulong)seed);
        long n = labels.shape[0];
        Tensor drawn, noisy;
        if (mode == LabelNoiseMode.Instance)
        {
            if (features is null) throw new ShatterException("instance-dependent label noise needs the examples' features; pass the training images.");
            noisy = Instance(labels.cpu(), classes, p, features.cpu(), gen).to(labels.device);
            drawn = noisy.ne(labels);
        }
        else
        {
            // every draw from a CPU generator (the same stream wherever the labels live), then moved to their device
            // numbers go to libtorch as Scalars held until the call returns (docs/torchsharp.md)
            using Scalar probability = p.ToScalar(), one = 1.ToScalar(), classCount = classes.ToScalar();
            drawn = rand(n, generator: gen).lt(probability).to(labels.device);
            Tensor redrawn = mode switch
            {
                LabelNoiseMode.Uniform => randint(classes, [n], generator: gen, dtype: ScalarType.Int64).to(labels.device),
                // a uniform offset in 1..classes-1 lands uniformly on the other classes
                LabelNoiseMode.Different => labels.add(randint(1, classes, [n], generator: gen, dtype: ScalarType.Int64).to(labels.device), one).remainder(classCount),
                LabelNoiseMode.PairFlip => FromRows(labels, ConfusableClasses.PairFlip(classes), gen),
                _ => FromRows(labels, transition ?? throw new ShatterException($"{Name(mode)} label noise needs a transition matrix; pass --transition FILE (matrix) or use a dataset with a confusable-class map (asymmetric)."), gen),
            };
            noisy = where(drawn, redrawn, labels);
        }
        var changed = noisy.ne(labels);
        double fraction = n == 0 ? 0 : changed.to_type(ScalarType.Float64).mean().item<double>();
        var counts = Counts(labels, noisy, classes);
        return new LabelCorruptionResult(noisy.MoveToOuterDisposeScope(), drawn.MoveToOuterDisposeScope(), changed.MoveToOuterDisposeScope(), fraction)
        {
            Transition = counts,
        };
    }

    /// <summary>The CLI spelling of a mode (pair-flip, ...).</summary>
    public static string Name(LabelNoiseMode mode) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(mode.ToString());

    /// <summary>Realized counts [true, noisy], C×C.</summary>
    static long[,] Counts(Tensor labels, Tensor noisy, int classes)
    {
        using var scope = NewDisposeScope();
        using Scalar k = classes.ToScalar(), one = 1.ToScalar();
        var pairs = labels.cpu().mul(k).add(noisy.cpu(), one);
        var flat = pairs.bincount(null, (long)classes * classes).data<long>().ToArray();
        var m = new long[classes, classes];
        for (int i = 0; i < classes; i++)
            for (int j = 0; j < classes; j++)
                m[i, j] = flat[i * classes + j];
        return m;
    }

    /// <summary>One draw per example from row labels[i] of <paramref name="rows"/> (C×C, each row a distribution).</summary>
    static Tensor FromRows(Tensor labels, double[,] rows, Generator gen)
    {
        int c = rows.GetLength(0);
        var flat = new double[c * c];
        for (int i = 0; i < c; i++)
            for (int j = 0; j < c; j++)
                flat[i * c + j] = rows[i, j];
        var t = tensor(flat, [c, c], dtype: ScalarType.Float64);
        // (N, C) probabilities; one sample per row, without touching the device
        if (labels.shape[0] == 0) return labels.clone();
        var probs = t.index_select(0, labels.cpu());
        return multinomial(probs, 1, replacement: true, generator: gen).squeeze(1).to(labels.device);
    }

    /// <summary>
    /// Xia et al. 2020 (Algorithm 2 of "Part-dependent label noise"): flip rates q_i ~ N(p, 0.1²) truncated
    /// to [0, 1]; a random projection W_c ~ N(0, 1)^{d×C} per class; for example i with label y,
    /// s = x̂_i·W_y (x̂: the image flattened and scaled to unit length), s_y = −∞,
    /// P(new = k) = q_i·softmax(s)_k for k ≠ y and 1 − q_i for k = y. p = 0 means no noise at all.
    /// </summary>
    static Tensor Instance(Tensor labels, int classes, double p, Tensor features, Generator gen)
    {
        long n = labels.shape[0];
        if (n == 0 || p == 0) return labels.clone();
        var q = TruncatedNormal(n, p, InstanceRateStd, gen); // (N) float64
        var x = features.reshape(n, -1).to_type(ScalarType.Float32);
        using var tiny = 1e-12.ToScalar();
        x = x.div(x.norm(1, keepdim: true).clamp_min(tiny)); // unit rows: each score below is then N(0, 1)
        long d = x.shape[1];
        var w = randn([classes, d, classes], generator: gen);
        var scores = zeros(n, classes);
        for (int c = 0; c < classes; c++)
        {
            using var cs = c.ToScalar();
            var idx = labels.eq(cs).nonzero().squeeze(1);
            if (idx.shape[0] == 0) continue;
            scores.index_copy_(0, idx, x.index_select(0, idx).matmul(w[c])); // (n_c, d) @ (d, C)
        }
        var own = nn.functional.one_hot(labels, classes).to_type(ScalarType.Bool);
        using var minusInf = double.NegativeInfinity.ToScalar();
        var others = scores.masked_fill(own, minusInf).softmax(1).to_type(ScalarType.Float64).mul(q.unsqueeze(1));
        using var one = 1.0.ToScalar();
        var keep = q.neg().add(one, one).unsqueeze(1).expand(n, classes); // 1 − q_i
        var probs = where(own, keep, others);
        return multinomial(probs, 1, replacement: true, generator: gen).squeeze(1);
    }

    /// <summary>N draws of N(mean, std²) truncated to [0, 1], by redrawing those outside.</summary>
    static Tensor TruncatedNormal(long n, double mean, double std, Generator gen)
    {
        using var meanS = mean.ToScalar();
        using var stdS = std.ToScalar();
        using var zero = 0.0.ToScalar();
        using var one = 1.0.ToScalar();
        var q = randn(n, dtype: ScalarType.Float64, generator: gen).mul(stdS).add(meanS, one);
        for (int round = 0; round < 1000; round++)
        {
            var outside = q.lt(zero).logical_or(q.gt(one));
            if (!outside.any().item<bool>()) return q;
            var fresh = randn(n, dtype: ScalarType.Float64, generator: gen).mul(stdS).add(meanS, one);
            q = where(outside, fresh, q);
        }
        return q.clamp(zero, one);
    }
}
