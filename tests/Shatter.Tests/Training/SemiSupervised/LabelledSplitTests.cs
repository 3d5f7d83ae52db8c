using Shatter.Corruptions;
using Shatter.Training.SemiSupervised;
using static TorchSharp.torch;

namespace Shatter.Tests.Training.SemiSupervised;

public sealed class LabelledSplitTests
{
    // 1,000 examples of 10 classes, unequal class sizes (class c has 55 + 2c... rounded to fill 1,000)
    static Tensor Labels()
    {
        var labels = new long[1000];
        for (int i = 0; i < 1000; i++) labels[i] = (i * 7 + i / 13) % 10;
        return tensor(labels);
    }

    [Theory]
    [InlineData(250, true)]
    [InlineData(37, true)]
    [InlineData(37, false)]
    [InlineData(1000, true)]
    public void The_parts_have_the_asked_sizes_are_disjoint_and_cover_the_training_set(int labelled, bool balanced)
    {
        using var labels = Labels();
        using var split = LabelledSplit.Create(labels, 10, labelled, seed: 1, balanced: balanced);
        Assert.Equal(labelled, split.Labelled.shape[0]);
        Assert.Equal(1000 - labelled, split.Unlabelled.shape[0]);
        Assert.Equal(labelled, split.Labels.shape[0]);
        var l = split.Labelled.data<long>().ToArray();
        var u = split.Unlabelled.data<long>().ToArray();
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), l.Concat(u).Order());
        Assert.Equal(u.Order(), u); // ascending
    }

    [Fact]
    public void Balanced_selection_takes_the_classes_round_robin()
    {
        using var labels = Labels();
        using var split = LabelledSplit.Create(labels, 10, 250, seed: 2);
        var counts = split.Labels.bincount(null, 10).data<long>().ToArray();
        Assert.All(counts, c => Assert.Equal(25, c));                    // FixMatch's "250 labels": 25 per class
        using var odd = LabelledSplit.Create(labels, 10, 37, seed: 2);
        var oddCounts = odd.Labels.bincount(null, 10).data<long>().ToArray();
        Assert.True(oddCounts.Max() - oddCounts.Min() <= 1, string.Join(",", oddCounts));
        using var unbalanced = LabelledSplit.Create(labels, 10, 37, seed: 2, balanced: false);
        Assert.NotEqual(odd.Labelled.data<long>().ToArray(), unbalanced.Labelled.data<long>().ToArray());
    }

    [Fact]
    public void The_same_seed_picks_the_same_examples_and_another_seed_others()
    {
        using var labels = Labels();
        using var a = LabelledSplit.Create(labels, 10, 100, seed: 5);
        using var b = LabelledSplit.Create(labels, 10, 100, seed: 5);
        using var c = LabelledSplit.Create(labels, 10, 100, seed: 6);
        Assert.Equal(a.Labelled.data<long>().ToArray(), b.Labelled.data<long>().ToArray());
        Assert.NotEqual(a.Labelled.data<long>().ToArray(), c.Labelled.data<long>().ToArray());
    }

    [Fact]
    public void Label_noise_touches_the_labelled_part_only()
    {
        using var labels = Labels();
        using var before = labels.clone();
        // every labelled label redrawn to another class
        using var split = LabelledSplit.Create(labels, 10, 200, seed: 3, noise: 1, mode: LabelNoiseMode.Different, noiseSeed: 9);
        Assert.True(Same.Tensors(labels, before), "the training set's labels were modified in place");
        using var truth = labels.index_select(0, split.Labelled);
        Assert.Equal(200, split.Noise.Changed.shape[0]);                    // the record covers the 200 labelled examples, nothing else
        Assert.True(split.Labels.ne(truth).all().item<bool>());
        Assert.Equal(1.0, split.Noise.FractionChanged);
        // no noise: the labelled part keeps its true labels
        using var clean = LabelledSplit.Create(labels, 10, 200, seed: 3);
        using var cleanTruth = labels.index_select(0, clean.Labelled);
        Assert.True(Same.Tensors(clean.Labels, cleanTruth));
        // partial uniform noise: about p·(1 − 1/C) of the labelled labels change
        using var half = LabelledSplit.Create(labels, 10, 1000, seed: 3, noise: 0.5, noiseSeed: 9);
        Assert.InRange(half.Noise.FractionChanged, 0.40, 0.50);
    }

    [Fact]
    public void Instance_noise_reads_the_labelled_examples_features()
    {
        using var labels = Labels();
        using var features = randn(1000, 1, 4, 4);
        using var split = LabelledSplit.Create(labels, 10, 300, seed: 3, noise: 0.4, mode: LabelNoiseMode.Instance, noiseSeed: 2, features: features);
        Assert.InRange(split.Noise.FractionChanged, 0.25, 0.55);
        Assert.Throws<ShatterException>(() => LabelledSplit.Create(labels, 10, 300, seed: 3, noise: 0.4, mode: LabelNoiseMode.Instance));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void An_impossible_labelled_count_is_a_one_sentence_error(int labelled)
    {
        using var labels = Labels();
        var e = Assert.Throws<ShatterException>(() => LabelledSplit.Create(labels, 10, labelled, seed: 1));
        Assert.Contains("--labelled must be from 1 to the training set's 1000 examples", e.Message);
    }
}
