using Shatter.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Data;

/// <summary>Deterministic, class-balanced subsets: a pure function of (split, size, seed).</summary>
public static class Subsets
{
    /// <summary>
    /// Indices (int64, ascending) of <paramref name="size"/> examples, size/classes from each class (the
    /// remainder one each to the lowest classes), chosen with the seeded generator. A size of 0 or at
    /// least the split's count selects everything.
    /// </summary>
    public static Tensor ClassBalancedIndices(ImageSplit split, int classes, int size, long seed, string what = "training") =>
        ClassBalancedIndices(split.Labels, classes, size, seed, what);

    /// <summary>The same over any split's int64 (N) labels (a text split's).</summary>
    public static Tensor ClassBalancedIndices(Tensor labels, int classes, int size, long seed, string what = "training")
    {
        if (size < 0) throw new ShatterException($"the {what} size must be positive, not {size}.");
        int count = (int)labels.shape[0];
        if (size == 0 || size >= count) return HeldScalars.Arange(count);
        long[] counts;
        using (var bins = labels.bincount(null, classes)) counts = bins.data<long>().ToArray();
        var present = Enumerable.Range(0, classes).Where(c => counts[c] > 0).ToArray();
        using var scope = NewDisposeScope();
        using var gen = new Generator((ulong)seed);
        var chosen = new List<Tensor>();
        for (int i = 0; i < present.Length; i++)
        {
            int c = present[i];
            long take = size / present.Length + (i < size % present.Length ? 1 : 0);
            if (take > counts[c])
                throw new ShatterException($"a class-balanced {what} subset of {size} needs {take} examples of class {c}, which has only {counts[c]}; choose a smaller size.");
            using var label = c.ToScalar(); // held for the call (docs/torchsharp.md)
            var members = nonzero(labels.eq(label)).flatten();
            var order = randperm(members.shape[0], generator: gen);
            chosen.Add(members.index_select(0, order.narrow(0, 0, take)));
        }
        return cat(chosen, 0).sort().Values.MoveToOuterDisposeScope();
    }

    /// <summary>A class-balanced subset of the split as a new split (or a copy-free view of all of it).</summary>
    public static ImageSplit ClassBalanced(ImageSplit split, int classes, int size, long seed, string what = "training")
    {
        using var idx = ClassBalancedIndices(split, classes, size, seed, what);
        return split.Select(idx);
    }
}
