using Shatter.Corruptions;
using static TorchSharp.torch;

namespace Shatter.Tests.Corruptions;

public sealed class InputNoiseTests
{
    const int C = 3, H = 6, W = 6, L = H * W;

    /// <summary>
    /// Float (n, 3, 6, 6) images where every value is distinct and tells where it came from:
    /// value = first·1000 + n·1000 + c·100 + location (y·6 + x), so a permutation can be read back.
    /// </summary>
    static Tensor Distinct(int n, int first = 0)
    {
        using var image = arange(n, dtype: ScalarType.Float32).add(first).mul(1000).reshape(n, 1, 1);
        using var channel = arange(C, dtype: ScalarType.Float32).mul(100).reshape(1, C, 1);
        using var location = arange(L, dtype: ScalarType.Float32).reshape(1, 1, L);
        return image.add(channel).add(location).reshape(n, C, H, W);
    }

    /// <summary>For image i, the source location of every destination location (pixel unit: read from channel 0).</summary>
    static int[] PixelPermutation(Tensor after, int i) =>
        after[i, 0].flatten().data<float>().ToArray().Select(v => (int)(v % 100)).ToArray();

    /// <summary>Checks that every channel of image i of <paramref name="after"/> is image i of <paramref name="before"/> moved by perm.</summary>
    static void AssertPixelsMovedBy(Tensor before, Tensor after, int i, int[] perm)
    {
        var b = before[i].reshape(C, L).data<float>().ToArray();
        var a = after[i].reshape(C, L).data<float>().ToArray();
        for (int c = 0; c < C; c++)
            for (int j = 0; j < L; j++)
                if (a[c * L + j] != b[c * L + perm[j]])
                    Assert.Fail($"image {i} channel {c} location {j} holds {a[c * L + j]}, expected {b[c * L + perm[j]]}");
    }

    [Fact]
    public void Shuffled_pixels_apply_one_permutation_to_every_train_and_test_image()
    {
        using var train = Distinct(40);
        using var test = Distinct(15, first: 500);
        using var r = InputNoise.Apply(train, test, new InputCorruption(InputMode.Shuffled), seed: 1);
        var perm = PixelPermutation(r.Train, 0);
        Assert.Equal(Enumerable.Range(0, L), perm.Order());      // a permutation
        Assert.NotEqual(Enumerable.Range(0, L), perm);           // not the identity
        for (int i = 0; i < 40; i++) AssertPixelsMovedBy(train, r.Train, i, perm); // channels move together
        for (int i = 0; i < 15; i++) AssertPixelsMovedBy(test, r.Test, i, perm);
        Assert.Equal(1.0, r.FractionChanged);
        Assert.True(r.Changed.all().item<bool>());
    }

    [Fact]
    public void Shuffled_values_permute_single_channel_values_with_one_shared_permutation()
    {
        using var train = Distinct(10);
        using var test = Distinct(4, first: 500);
        using var r = InputNoise.Apply(train, test, new InputCorruption(InputMode.Shuffled, PermutationUnit.Value), seed: 1);
        var first = r.Train[0].flatten().data<float>().ToArray().Select(v => (int)(v / 100) * L + (int)(v % 100)).ToArray();
        Assert.Equal(Enumerable.Range(0, C * L), first.Order());
        Assert.Contains(Enumerable.Range(0, C * L), j => first[j] / L != j / L); // some value changed channel
        foreach (var (before, after, count) in new[] { (train, r.Train, 10), (test, r.Test, 4) })
        {
            var b = before.reshape(count, -1).data<float>().ToArray();
            var a = after.reshape(count, -1).data<float>().ToArray();
            for (int i = 0; i < count; i++)
                for (int j = 0; j < C * L; j++)
                    Assert.Equal(b[i * C * L + first[j]], a[i * C * L + j]);
        }
    }

    [Fact]
    public void Random_pixels_use_a_different_permutation_per_image()
    {
        using var train = Distinct(50);
        using var test = Distinct(20, first: 500);
        using var r = InputNoise.Apply(train, test, new InputCorruption(InputMode.Random), seed: 2);
        var perms = new HashSet<string>();
        foreach (var (before, after, count) in new[] { (train, r.Train, 50), (test, r.Test, 20) })
            for (int i = 0; i < count; i++)
            {
                var perm = PixelPermutation(after, i);
                Assert.Equal(Enumerable.Range(0, L), perm.Order());
                AssertPixelsMovedBy(before, after, i, perm); // whole pixels, values of the image kept
                perms.Add(string.Join(',', perm));
            }
        Assert.Equal(70, perms.Count); // 36! permutations: a repeat would mean a shared one
    }

    [Fact]
    public void Random_values_keep_each_images_multiset_of_values_and_mix_the_channels()
    {
        using var train = Distinct(30);
        using var test = Distinct(5, first: 500);
        using var r = InputNoise.Apply(train, test, new InputCorruption(InputMode.Random, PermutationUnit.Value), seed: 3);
        using var sortedBefore = train.reshape(30, -1).sort(1).Values;
        using var sortedAfter = r.Train.reshape(30, -1).sort(1).Values;
        Assert.True(Same.Tensors(sortedBefore, sortedAfter));
        // channel 0 of image 0 now holds values that came from channels 1 and 2 (value / 100 = channel)
        var sources = r.Train[0, 0].flatten().data<float>().ToArray().Select(v => (int)(v / 100)).ToHashSet();
        Assert.True(sources.Count > 1, "every value stayed in its channel");
        Assert.Equal(1.0, r.FractionChanged);
    }

    [Theory]
    [InlineData(GaussianStatistics.Global)]
    [InlineData(GaussianStatistics.PerChannel)]
    public void Gaussian_inputs_match_the_training_data_mean_and_variance(GaussianStatistics statistics)
    {
        // channels with different means and spreads: c·0.3 + U(0, 0.2 + 0.3c)
        using var g = new Generator(6);
        using var spread = tensor(new float[] { 0.2f, 0.5f, 0.8f }).reshape(1, 3, 1, 1);
        using var offset = tensor(new float[] { 0f, 0.3f, 0.6f }).reshape(1, 3, 1, 1);
        using var train = rand([1000, 3, 8, 8], generator: g).mul(spread).add(offset);
        using var test = rand([200, 3, 8, 8], generator: g).mul(spread).add(offset);
        using var r = InputNoise.Apply(train, test, new InputCorruption(InputMode.Gaussian, Statistics: statistics), seed: 4);

        foreach (var noise in new[] { r.Train, r.Test })
        {
            if (statistics == GaussianStatistics.Global)
                AssertMoments(train, noise, [0, 1, 2, 3], 1);
            else
                AssertMoments(train, noise, [0, 2, 3], 3);
            // values are Gaussian: about 68.3% within one standard deviation of the mean
            using var z = noise.sub(noise.mean()).div(noise.std()).abs().lt(1).to_type(ScalarType.Float64).mean();
            if (statistics == GaussianStatistics.Global) Assert.InRange(z.item<double>(), 0.673, 0.693);
        }
        Assert.Equal(train.shape, r.Train.shape);
        Assert.Equal(test.shape, r.Test.shape);
        Assert.Equal(1.0, r.FractionChanged);
    }

    /// <summary>Mean and variance over <paramref name="dims"/> of noise within a few standard errors of the data's.</summary>
    static void AssertMoments(Tensor data, Tensor noise, long[] dims, int groups)
    {
        using var scope = NewDisposeScope();
        var dm = data.mean(dims).data<float>().ToArray();
        var dv = data.var(dims, unbiased: false).data<float>().ToArray();
        var nm = noise.mean(dims).data<float>().ToArray();
        var nv = noise.var(dims, unbiased: false).data<float>().ToArray();
        double values = noise.numel() / (double)groups;
        for (int k = 0; k < groups; k++)
        {
            double se = Math.Sqrt(dv[k] / values);
            Assert.InRange(nm[k], dm[k] - 5 * se, dm[k] + 5 * se);
            double relative = 5 * Math.Sqrt(2 / values); // standard error of a Gaussian sample variance, relative
            Assert.InRange(nv[k], dv[k] * (1 - relative), dv[k] * (1 + relative));
        }
    }

    [Fact]
    public void Global_gaussian_ignores_the_channels_and_per_channel_gaussian_keeps_them()
    {
        using var g = new Generator(6);
        using var offset = tensor(new float[] { 0f, 0.5f, 1f }).reshape(1, 3, 1, 1);
        using var train = rand([300, 3, 8, 8], generator: g).add(offset);
        using var global = InputNoise.Apply(train, train, new InputCorruption(InputMode.Gaussian), seed: 1);
        using var perChannel = InputNoise.Apply(train, train, new InputCorruption(InputMode.Gaussian, Statistics: GaussianStatistics.PerChannel), seed: 1);
        var gm = global.Train.mean([0, 2, 3]).data<float>().ToArray();
        var pm = perChannel.Train.mean([0, 2, 3]).data<float>().ToArray();
        Assert.InRange(gm[2] - gm[0], -0.05, 0.05); // one mean (≈ 1.0) for all
        Assert.InRange(pm[2] - pm[0], 0.95, 1.05);  // channel means 0.5 and 1.5
    }

    [Theory]
    [InlineData(InputMode.Shuffled)]
    [InlineData(InputMode.Random)]
    [InlineData(InputMode.Gaussian)]
    public void The_test_set_is_left_alone_when_asked_and_randomized_by_default(InputMode mode)
    {
        using var train = Distinct(8);
        using var test = Distinct(4, first: 500);
        using var kept = InputNoise.Apply(train, test, new InputCorruption(mode, ApplyToTest: false), seed: 1);
        using var changed = InputNoise.Apply(train, test, new InputCorruption(mode), seed: 1);
        Assert.True(Same.Tensors(kept.Test, test));
        Assert.False(Same.Tensors(changed.Test, test));
        Assert.True(Same.Tensors(kept.Train, changed.Train)); // the test choice does not move the train draw
    }

    [Theory]
    [InlineData(InputMode.Shuffled)]
    [InlineData(InputMode.Random)]
    [InlineData(InputMode.Gaussian)]
    public void The_same_seed_gives_the_same_inputs_and_another_seed_others(InputMode mode)
    {
        using var train = Distinct(8);
        using var test = Distinct(4, first: 500);
        using var a = InputNoise.Apply(train, test, new InputCorruption(mode), seed: 21);
        using var b = InputNoise.Apply(train, test, new InputCorruption(mode), seed: 21);
        using var c = InputNoise.Apply(train, test, new InputCorruption(mode), seed: 22);
        Assert.True(Same.Tensors(a.Train, b.Train) && Same.Tensors(a.Test, b.Test));
        Assert.False(Same.Tensors(a.Train, c.Train));
    }

    [Fact]
    public void True_inputs_are_the_originals_and_nothing_is_marked_changed()
    {
        using var train = Distinct(5);
        using var test = Distinct(2, first: 500);
        using var r = InputNoise.Apply(train, test, InputCorruption.None, seed: 1);
        Assert.True(Same.Tensors(r.Train, train));
        Assert.True(Same.Tensors(r.Test, test));
        Assert.False(r.Changed.any().item<bool>());
        Assert.Equal(0, r.FractionChanged);
    }

    [Fact]
    public void Randomizing_does_not_modify_the_callers_images()
    {
        using var train = Distinct(6);
        using var copy = train.clone();
        foreach (var mode in new[] { InputMode.Shuffled, InputMode.Random, InputMode.Gaussian })
            InputNoise.Apply(train, train, new InputCorruption(mode), seed: 1).Dispose();
        Assert.True(Same.Tensors(train, copy));
    }
}
