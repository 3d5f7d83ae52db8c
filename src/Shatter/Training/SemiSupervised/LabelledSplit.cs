using Shatter.Corruptions;
using Shatter.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Training.SemiSupervised;

/// <summary>
/// A training set cut into a labelled part and an unlabelled part (issue 21's <c>--labelled N</c>), with the run's
/// label noise applied to the labelled part only — the unlabelled part's labels are never read.
/// <see cref="Labelled"/> (N_l) int64 indices into the training set, in selection order; <see cref="Unlabelled"/>
/// (N − N_l) int64, ascending; <see cref="Labels"/> (N_l) the labelled part's labels after noise, in the order of
/// <see cref="Labelled"/>; <see cref="Noise"/> the corruption record of that part (drawn/changed masks, realized rate).
/// A pure function of (labels, N_l, seeds, noise options). Balanced selection (FixMatch's protocol: "250 labels" of
/// CIFAR-10 are 25 per class) takes the examples round-robin over the classes, each class in a seeded random order,
/// so class counts differ by at most one while every class has examples left; unbalanced takes a seeded random N_l.
/// </summary>
public sealed class LabelledSplit : IDisposable
{
    public Tensor Labelled { get; }
    public Tensor Unlabelled { get; }
    public Tensor Labels => Noise.Labels;
    public LabelCorruptionResult Noise { get; }

    LabelledSplit(Tensor labelled, Tensor unlabelled, LabelCorruptionResult noise)
    {
        Labelled = labelled;
        Unlabelled = unlabelled;
        Noise = noise;
    }

    /// <param name="labels">(N) int64 true labels of the training set.</param>
    /// <param name="labelled">N_l, from 1 to N.</param>
    /// <param name="seed">Seeds the choice of the labelled examples.</param>
    /// <param name="noise">Label noise probability p on the labelled part (0: none), redrawn per <paramref name="mode"/>.</param>
    /// <param name="noiseSeed">Seeds the label noise.</param>
    /// <param name="features">(N, ...) training images, needed by instance-dependent noise only.</param>
    public static LabelledSplit Create(Tensor labels, int classes, int labelled, long seed, bool balanced = true,
        double noise = 0, LabelNoiseMode mode = LabelNoiseMode.Uniform, long noiseSeed = 0, double[,]? transition = null, Tensor? features = null)
    {
        long n = labels.shape[0];
        if (labelled < 1 || labelled > n)
            throw new ShatterException($"--labelled must be from 1 to the training set's {n} examples, not {labelled}.");
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        var cpuLabels = labels.cpu();
        var order = randperm(n, generator: generator);                                   // (N) a seeded shuffle
        if (balanced) order = RoundRobin(order, cpuLabels.index_select(0, order), classes);
        var chosen = order.narrow(0, 0, labelled);
        var rest = order.narrow(0, labelled, n - labelled).sort().Values;
        var chosenOnDevice = chosen.to(labels.device);
        var part = labels.index_select(0, chosenOnDevice);
        var partFeatures = features?.index_select(0, chosenOnDevice.to(features.device));
        var corrupted = LabelNoise.Apply(part, classes, noise, mode, noiseSeed, transition, partFeatures);
        // Apply moved its tensors to this scope: they outlive it
        corrupted.Labels.MoveToOuterDisposeScope();
        corrupted.Drawn.MoveToOuterDisposeScope();
        corrupted.Changed.MoveToOuterDisposeScope();
        return new LabelledSplit(chosenOnDevice.MoveToOuterDisposeScope(), rest.to(labels.device).MoveToOuterDisposeScope(), corrupted);
    }

    /// <summary>
    /// Reorders a shuffled order so that it visits the classes round-robin: rank within class first (every class's
    /// first example, then every class's second, ...), class index second. (N) in, (N) out.
    /// </summary>
    static Tensor RoundRobin(Tensor order, Tensor shuffledLabels, int classes)
    {
        long n = order.shape[0];
        using Scalar one = 1.ToScalar(), k = classes.ToScalar();
        var (sortedLabels, byClass) = shuffledLabels.sort(stable: true);                 // grouped by class, shuffle order kept inside
        var positions = HeldScalars.Arange(n);
        var counts = sortedLabels.bincount(null, classes);                                // (C)
        var firsts = counts.cumsum(0).sub(counts);                                        // (C) first position of each class
        var rankInClass = positions.sub(firsts.index_select(0, sortedLabels));           // (N) rank of byClass[j] within its class
        var ranks = zeros_like(positions).index_copy_(0, byClass, rankInClass);          // back to the shuffled positions
        var key = ranks.mul(k).add(shuffledLabels, one);                                  // rank-major, class-minor
        return order.index_select(0, key.sort(stable: true).Indices);                   // keys are distinct
    }

    public void Dispose()
    {
        Labelled.Dispose();
        Unlabelled.Dispose();
        Noise.Dispose();
    }
}
