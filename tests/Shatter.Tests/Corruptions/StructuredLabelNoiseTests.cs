using Shatter.Corruptions;
using Shatter.Tests.Data;
using Shatter.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Tests.Corruptions;

/// <summary>The structured label-noise modes: pair-flip, asymmetric, matrix and instance.</summary>
public sealed class StructuredLabelNoiseTests
{
    const int N = 20_000, K = 10;

    static Tensor TrueLabels()
    {
        using var k = K.ToScalar();
        return arange(N, dtype: ScalarType.Int64).remainder(k);
    }

    static double Sigma(double q, int n) => Math.Sqrt(q * (1 - q) / n);

    static long Sum(long[,] m) => m.Cast<long>().Sum();

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.45)]
    public void Pair_flip_moves_a_fraction_p_of_labels_from_c_to_c_plus_one(double p)
    {
        using var labels = TrueLabels();
        using var r = LabelNoise.Apply(labels, K, p, LabelNoiseMode.PairFlip, seed: 3);
        Assert.InRange(r.FractionChanged, p - 4 * Sigma(p, N), p + 4 * Sigma(p, N));
        using var one = 1L.ToScalar();
        using var k = K.ToScalar();
        using var expected = labels.add(one).remainder(k).masked_select(r.Changed);
        Assert.True(Same.Tensors(r.Labels.masked_select(r.Changed), expected));
        // realized transition: only the diagonal and the superdiagonal (cyclically) hold counts
        Assert.Equal(N, Sum(r.Transition));
        for (int i = 0; i < K; i++)
            for (int j = 0; j < K; j++)
                if (j != i && j != (i + 1) % K) Assert.Equal(0, r.Transition[i, j]);
    }

    [Fact]
    public void Asymmetric_noise_follows_the_datasets_map_and_leaves_unmapped_classes_alone()
    {
        const double p = 0.4;
        var map = ConfusableClasses.Map("cifar10");
        using var labels = TrueLabels();
        using var r = LabelNoise.Apply(labels, K, p, LabelNoiseMode.Asymmetric, seed: 4, transition: ConfusableClasses.Rows("cifar10", K));
        for (int i = 0; i < K; i++)
            for (int j = 0; j < K; j++)
                if (j != i && j != map[i]) Assert.Equal(0, r.Transition[i, j]);
        Assert.True(r.Transition[9, 1] > 0 && r.Transition[3, 5] > 0 && r.Transition[5, 3] > 0); // truck → automobile, cat ↔ dog
        Assert.Equal(N / K, r.Transition[6, 6]); // frog is unmapped
        // 5 of 10 classes mapped: the realized rate is p × 1/2
        double q = p * 0.5;
        Assert.InRange(r.FractionChanged, q - 4 * Sigma(q, N), q + 4 * Sigma(q, N));
    }

    [Theory]
    [InlineData("cifar10", 5)]
    [InlineData("mnist", 5)]
    [InlineData("fashion-mnist", 6)]
    [InlineData("cifar100", 100)]
    public void Every_asymmetric_map_moves_its_documented_number_of_classes(string dataset, int mapped)
    {
        var map = ConfusableClasses.Map(dataset);
        Assert.Equal(mapped, map.Select((to, from) => to != from).Count(b => b));
        Assert.All(map, to => Assert.InRange(to, 0, map.Length - 1));
    }

    [Fact]
    public void Cifar100_asymmetric_noise_stays_within_each_superclass_and_cycles_its_five_classes()
    {
        var map = ConfusableClasses.Map("cifar100");
        var super = ConfusableClasses.Cifar100Superclass;
        Assert.All(Enumerable.Range(0, 20), s => Assert.Equal(5, super.Count(x => x == s)));
        for (int c = 0; c < 100; c++)
        {
            Assert.Equal(super[c], super[map[c]]);
            int at = c;
            for (int k = 0; k < 5; k++) at = map[at];
            Assert.Equal(c, at); // five steps come back: one cycle per superclass
        }
        Assert.Equal(72, map[55]); // otter → seal (aquatic mammals: beaver 4, dolphin 30, otter 55, seal 72, whale 95)
    }

    [Fact]
    public void Asymmetric_noise_on_a_dataset_without_a_map_is_a_one_sentence_error()
    {
        var e = Assert.Throws<ShatterException>(() => ConfusableClasses.Map("cifar100-coarse"));
        Assert.Contains("pair-flip", e.Message);
    }

    [Fact]
    public void Matrix_noise_realizes_the_given_rows_for_drawn_labels()
    {
        // class 0 → 1 or 2 evenly; all others → 0
        var rows = new double[K, K];
        rows[0, 1] = rows[0, 2] = 0.5;
        for (int i = 1; i < K; i++) rows[i, 0] = 1;
        using var labels = TrueLabels();
        using var r = LabelNoise.Apply(labels, K, 1.0, LabelNoiseMode.Matrix, seed: 5, transition: rows);
        long fromZero = r.Transition[0, 1] + r.Transition[0, 2];
        Assert.Equal(N / K, fromZero);
        Assert.InRange(r.Transition[0, 1] / (double)fromZero, 0.5 - 4 * Sigma(0.5, N / K), 0.5 + 4 * Sigma(0.5, N / K));
        for (int i = 1; i < K; i++) Assert.Equal(N / K, r.Transition[i, 0]);
        Assert.Equal(1.0, r.FractionChanged, 12);
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.4)]
    public void Instance_noise_flips_about_p_of_labels_with_rates_that_depend_on_the_image(double p)
    {
        using var labels = TrueLabels();
        using var features = rand(N, 1, 6, 6, generator: new Generator(9));
        using var r = LabelNoise.Apply(labels, K, p, LabelNoiseMode.Instance, seed: 6, features: features);
        // q_i ~ N(p, 0.1²) truncated to [0, 1]: mean within 0.01 of p at these p; the flip itself adds binomial spread
        Assert.InRange(r.FractionChanged, p - 0.01 - 4 * Sigma(p, N), p + 0.01 + 4 * Sigma(p, N));
        Assert.True(Same.Tensors(r.Changed, r.Drawn)); // a flip always lands on another class
        // not uniform over the other classes: each class's flips concentrate (χ² far above uniform's)
        var row = Enumerable.Range(0, K).Where(j => j != 0).Select(j => r.Transition[0, j]).ToArray();
        double mean = row.Average();
        double chi2 = row.Sum(c => (c - mean) * (c - mean) / mean);
        Assert.True(chi2 > 50, $"flips from class 0 look uniform: {string.Join(",", row)}");
    }

    [Fact]
    public void Instance_noise_is_a_pure_function_of_the_seed_and_zero_at_p_zero()
    {
        using var labels = TrueLabels();
        using var features = rand(N, 1, 4, 4, generator: new Generator(1));
        using var a = LabelNoise.Apply(labels, K, 0.3, LabelNoiseMode.Instance, seed: 7, features: features);
        using var b = LabelNoise.Apply(labels, K, 0.3, LabelNoiseMode.Instance, seed: 7, features: features);
        using var c = LabelNoise.Apply(labels, K, 0.3, LabelNoiseMode.Instance, seed: 8, features: features);
        Assert.True(Same.Tensors(a.Labels, b.Labels));
        Assert.False(Same.Tensors(a.Labels, c.Labels));
        using var none = LabelNoise.Apply(labels, K, 0, LabelNoiseMode.Instance, seed: 7, features: features);
        Assert.Equal(0, none.FractionChanged);
    }

    [Fact]
    public void Uniform_noise_records_its_realized_transition_counts()
    {
        using var labels = TrueLabels();
        using var r = LabelNoise.Apply(labels, K, 0.5, LabelNoiseMode.Uniform, seed: 1);
        Assert.Equal(N, Sum(r.Transition));
        long offDiagonal = Sum(r.Transition) - Enumerable.Range(0, K).Sum(i => r.Transition[i, i]);
        Assert.Equal(r.FractionChanged, offDiagonal / (double)N, 12);
    }

    [Fact]
    public void Matrix_mode_without_a_transition_file_and_a_file_without_matrix_mode_are_config_errors()
    {
        var missing = Assert.Throws<ShatterException>(() => new TrainConfig { LabelNoiseMode = LabelNoiseMode.Matrix, LabelNoise = 0.2 }.Validate());
        Assert.Contains("--transition", missing.Message);
        var stray = Assert.Throws<ShatterException>(() => new TrainConfig { Transition = "t.csv", LabelNoiseMode = LabelNoiseMode.PairFlip }.Validate());
        Assert.Contains("pair-flip", stray.Message);
    }

    [Fact]
    public void A_config_without_a_transition_file_keeps_its_run_identity()
    {
        // the field is left out of the JSON when null, so every older run keeps its hash
        var json = Shatter.Json.Serialize(new TrainConfig());
        Assert.DoesNotContain("transition", json);
        Assert.Contains("\"transition\"", Shatter.Json.Serialize(new TrainConfig { Transition = "t.csv", LabelNoiseMode = LabelNoiseMode.Matrix }));
    }
}

