using Shatter.Data;
using static TorchSharp.torch;

namespace Shatter.Tests.Data;

public sealed class SubsetsTests
{
    /// <summary>n examples of 10 classes, unevenly represented (class k holds 20 + 3k examples), pixel 0 = index.</summary>
    static ImageSplit Split()
    {
        var labels = Enumerable.Range(0, 10).SelectMany(k => Enumerable.Repeat((long)k, 20 + 3 * k)).ToArray();
        new Random(3).Shuffle(labels);
        int n = labels.Length;
        var images = arange(n, dtype: ScalarType.Int64).remainder(256).to_type(ScalarType.Byte).reshape(n, 1, 1, 1);
        return new ImageSplit(images, tensor(labels));
    }

    static long[] Indices(ImageSplit s, int size, long seed)
    {
        using var idx = Subsets.ClassBalancedIndices(s, 10, size, seed);
        return idx.data<long>().ToArray();
    }

    [Fact]
    public void A_subset_is_exactly_class_balanced()
    {
        using var s = Split();
        using var sub = Subsets.ClassBalanced(s, 10, 150, seed: 4);
        Assert.Equal(150, sub.Count);
        Assert.All(sub.ClassCounts(10), c => Assert.Equal(15, c));
    }

    [Fact]
    public void A_remainder_goes_one_each_to_the_lowest_classes()
    {
        using var s = Split();
        using var sub = Subsets.ClassBalanced(s, 10, 53, seed: 4);
        Assert.Equal([6L, 6, 6, 5, 5, 5, 5, 5, 5, 5], sub.ClassCounts(10));
    }

    [Fact]
    public void The_same_seed_gives_the_same_subset_and_another_seed_another()
    {
        using var s = Split();
        var a = Indices(s, 100, 11);
        Assert.Equal(a, Indices(s, 100, 11));
        Assert.NotEqual(a, Indices(s, 100, 12));
        Assert.Equal(a.Order(), a);             // ascending, so the subset keeps the file's order
        Assert.Equal(100, a.Distinct().Count()); // no example twice
    }

    [Fact]
    public void The_subset_holds_the_chosen_examples_with_their_labels()
    {
        using var s = Split();
        var idx = Indices(s, 40, 5);
        using var sub = Subsets.ClassBalanced(s, 10, 40, seed: 5);
        var labels = s.Labels.data<long>().ToArray();
        Assert.Equal(idx.Select(i => labels[i]), sub.Labels.data<long>().ToArray());
        Assert.Equal(idx.Select(i => (byte)(i % 256)), sub.Images.data<byte>().ToArray());
    }

    [Fact]
    public void Size_zero_or_at_least_the_split_selects_everything()
    {
        using var s = Split();
        Assert.Equal(Enumerable.Range(0, s.Count).Select(i => (long)i), Indices(s, 0, 1));
        Assert.Equal(s.Count, Indices(s, s.Count + 5, 1).Length);
    }

    [Fact]
    public void A_class_too_small_for_its_share_is_an_error_naming_it()
    {
        using var s = Split(); // class 0 holds 20
        var e = Assert.Throws<ShatterException>(() => Indices(s, 210, 1));
        Assert.Contains("class 0, which has only 20", e.Message);
    }

    [Fact]
    public void A_negative_size_is_an_error()
    {
        using var s = Split();
        Assert.Throws<ShatterException>(() => Indices(s, -1, 1));
    }
}
