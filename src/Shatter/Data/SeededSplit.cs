using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Data;

/// <summary>
/// A train/test split of one labelled list (an image folder without train/ and test/, a text table, the fortunes
/// corpus), as a pure function of (labels, fraction, seed): within each class a seeded permutation of its members
/// (in list order) sends the first round(n·fraction) to the test set, so every class keeps its share in both sets.
/// A class of one member stays in training; a class of two or more keeps at least one member on each side.
/// </summary>
public static class SeededSplit
{
    /// <summary>The default share of examples held out for testing when the data has no test set of its own.</summary>
    public const double DefaultTestFraction = 0.2;

    /// <summary>Indices (ascending) of the training and test members of <paramref name="labels"/> (each in 0..classes−1).</summary>
    public static (int[] Train, int[] Test) Stratified(IReadOnlyList<int> labels, int classes, double testFraction, long seed)
    {
        if (!(testFraction > 0 && testFraction < 1))
            throw new ShatterException($"the test fraction must be between 0 and 1 (exclusive), not {testFraction}; 0.2 holds out a fifth.");
        var members = new List<int>[classes];
        for (int c = 0; c < classes; c++) members[c] = [];
        for (int i = 0; i < labels.Count; i++) members[labels[i]].Add(i);
        using var gen = new Generator((ulong)seed);
        var train = new List<int>();
        var test = new List<int>();
        foreach (var m in members)
        {
            if (m.Count == 0) continue;
            int held = (int)Math.Round(m.Count * testFraction, MidpointRounding.AwayFromZero);
            if (m.Count >= 2) held = Math.Clamp(held, 1, m.Count - 1);
            else held = 0;
            using var order = randperm(m.Count, generator: gen);
            var perm = order.data<long>().ToArray();
            for (int k = 0; k < perm.Length; k++) (k < held ? test : train).Add(m[(int)perm[k]]);
        }
        train.Sort();
        test.Sort();
        return ([.. train], [.. test]);
    }
}
