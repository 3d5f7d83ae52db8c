using Shatter.Corruptions;
using static TorchSharp.torch;

namespace Shatter.Tests.Corruptions;

public sealed class LabelNoiseTests
{
    const int N = 20_000, K = 10;

    /// <summary>Balanced true labels 0..9 repeated.</summary>
    static Tensor TrueLabels() => arange(N, dtype: ScalarType.Int64).remainder(K);

    static double Sigma(double q, int n) => Math.Sqrt(q * (1 - q) / n);

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.3)]
    [InlineData(0.8)]
    public void Uniform_noise_redraws_a_fraction_p_and_changes_p_times_one_minus_one_over_k(double p)
    {
        using var labels = TrueLabels();
        using var r = LabelNoise.Apply(labels, K, p, LabelNoiseMode.Uniform, seed: 1);
        double drawn = r.Drawn.to_type(ScalarType.Float64).mean().item<double>();
        Assert.InRange(drawn, p - 4 * Sigma(p, N), p + 4 * Sigma(p, N));
        double q = p * (1 - 1.0 / K); // a redrawn label equals the true one with probability 1/K
        Assert.InRange(r.FractionChanged, q - 4 * Sigma(q, N), q + 4 * Sigma(q, N));
        // the mask is exactly the labels that differ, and only drawn labels differ
        using var differs = r.Labels.ne(labels);
        Assert.True(Same.Tensors(r.Changed, differs));
        using var changedButNotDrawn = r.Changed.logical_and(r.Drawn.logical_not());
        Assert.False(changedButNotDrawn.any().item<bool>());
        Assert.Equal(r.Changed.to_type(ScalarType.Float64).mean().item<double>(), r.FractionChanged, 12);
    }

    [Fact]
    public void Different_mode_always_moves_a_drawn_label_to_another_class()
    {
        const double p = 0.3;
        using var labels = TrueLabels();
        using var r = LabelNoise.Apply(labels, K, p, LabelNoiseMode.Different, seed: 2);
        Assert.True(Same.Tensors(r.Changed, r.Drawn)); // every drawn label changed, no other
        Assert.InRange(r.FractionChanged, p - 4 * Sigma(p, N), p + 4 * Sigma(p, N));
        // the new class is uniform over the other 9: offsets (new − true) mod K cover 1..9 evenly
        using var offsets = r.Labels.sub(labels).remainder(K).masked_select(r.Drawn);
        var counts = offsets.bincount(null, K).data<long>().ToArray();
        Assert.Equal(0, counts[0]);
        Assert.True(ChiSquare(counts[1..]) < 31.8, $"offset counts {string.Join(",", counts)}"); // χ²(8) 0.9999 quantile
    }

    [Fact]
    public void Random_labels_are_uniform_over_classes_and_independent_of_the_true_label()
    {
        using var labels = TrueLabels();
        using var r = LabelNoise.Apply(labels, K, 1.0, LabelNoiseMode.Uniform, seed: 3);
        Assert.True(r.Drawn.all().item<bool>());
        var counts = r.Labels.bincount(null, K).data<long>().ToArray();
        Assert.True(ChiSquare(counts) < 33.7, $"class counts {string.Join(",", counts)}"); // χ²(9) 0.9999 quantile
        // contingency table true × random: under independence every cell expects N/K²
        using var cells = labels.mul(K).add(r.Labels).bincount(null, K * K);
        var table = cells.data<long>().ToArray();
        Assert.True(ChiSquare(table) < 81 + 6 * Math.Sqrt(2 * 81), $"χ² of the 10×10 table {ChiSquare(table)}");
        double same = 1 - r.FractionChanged; // chance agreement 1/K
        Assert.InRange(same, 0.1 - 4 * Sigma(0.1, N), 0.1 + 4 * Sigma(0.1, N));
    }

    [Fact]
    public void P_zero_changes_nothing_and_the_input_labels_are_never_modified()
    {
        using var labels = TrueLabels();
        using var copy = labels.clone();
        using var none = LabelNoise.Apply(labels, K, 0, LabelNoiseMode.Uniform, seed: 4);
        Assert.True(Same.Tensors(none.Labels, labels));
        Assert.Equal(0, none.FractionChanged);
        using var all = LabelNoise.Apply(labels, K, 1, LabelNoiseMode.Different, seed: 4);
        Assert.Equal(1, all.FractionChanged);
        Assert.True(Same.Tensors(labels, copy));
    }

    [Theory]
    [InlineData(LabelNoiseMode.Uniform)]
    [InlineData(LabelNoiseMode.Different)]
    public void The_same_seed_gives_the_same_labels_and_another_seed_others(LabelNoiseMode mode)
    {
        using var labels = TrueLabels();
        using var a = LabelNoise.Apply(labels, K, 0.5, mode, seed: 10);
        using var b = LabelNoise.Apply(labels, K, 0.5, mode, seed: 10);
        using var c = LabelNoise.Apply(labels, K, 0.5, mode, seed: 11);
        Assert.True(Same.Tensors(a.Labels, b.Labels));
        Assert.True(Same.Tensors(a.Drawn, b.Drawn));
        Assert.False(Same.Tensors(a.Labels, c.Labels));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_probability_outside_zero_to_one_is_rejected(double p)
    {
        using var labels = TrueLabels();
        var e = Assert.Throws<ShatterException>(() => LabelNoise.Apply(labels, K, p, LabelNoiseMode.Uniform, 1));
        Assert.Contains("between 0 and 1", e.Message);
    }

    /// <summary>Pearson's χ² against equal expected counts.</summary>
    static double ChiSquare(long[] counts)
    {
        double expected = counts.Sum() / (double)counts.Length;
        return counts.Sum(c => (c - expected) * (c - expected) / expected);
    }
}
