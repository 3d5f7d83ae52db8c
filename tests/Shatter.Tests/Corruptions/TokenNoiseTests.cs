using Shatter.Corruptions;
using Shatter.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Tests.Corruptions;

public sealed class TokenNoiseTests
{
    const int T = 8;

    /// <summary>
    /// n texts of T positions whose token at position p of text i is 100·(i + first) + p + 2 (distinct, so a move can be
    /// read back: position = id mod 100 − 2), with lengths cycling through T, 5, 1, 3, padded with 0.
    /// </summary>
    static TextSplit Texts(int n, int first = 0)
    {
        var tokens = new long[n * T];
        var lengths = new long[n];
        long[] cycle = [T, 5, 1, 3];
        for (int i = 0; i < n; i++)
        {
            lengths[i] = cycle[i % cycle.Length];
            for (int p = 0; p < lengths[i]; p++) tokens[i * T + p] = 100L * (i + first) + p + 2;
        }
        return new TextSplit(tensor(tokens, [n, T]), tensor(lengths), tensor(Enumerable.Range(0, n).Select(i => (long)(i % 3)).ToArray()));
    }

    /// <summary>The source position of each non-padding position of text i, read back from the ids.</summary>
    static long[] Moves(TextSplit split, int i)
    {
        var row = split.Tokens[i].data<long>().ToArray();
        return row.Take((int)split.Lengths[i].item<long>()).Select(id => id % 100 - 2).ToArray();
    }

    static long[] Row(TextSplit split, int i) => split.Tokens[i].data<long>().ToArray();

    [Fact]
    public void Shuffled_tokens_permute_each_texts_own_tokens_and_leave_padding_lengths_and_labels()
    {
        using var train = Texts(3000);                                        // more than one chunk
        using var test = Texts(40, first: 5000);
        using var r = TokenNoise.Apply(train, test, TextInputMode.Shuffled, seed: 7);
        for (int i = 0; i < train.Count; i += 97)
        {
            var before = Row(train, i);
            var after = Row(r.Train, i);
            int length = (int)train.Lengths[i].item<long>();
            Assert.Equal(before[..length].Order(), after[..length].Order());  // the same tokens
            Assert.Equal(before[length..], after[length..]);                 // padding in place
        }
        Assert.True(Same.Tensors(train.Lengths, r.Train.Lengths));
        Assert.True(Same.Tensors(train.Labels, r.Train.Labels));
        // texts of full length get orders of their own: across 750 of them, many distinct permutations
        var orders = Enumerable.Range(0, train.Count).Where(i => i % 4 == 0).Select(i => string.Join(',', Moves(r.Train, i))).ToHashSet();
        Assert.True(orders.Count > 700, $"{orders.Count} distinct orders among 750 texts");
        // a one-token text cannot change, a three-token one stays by chance 1 time in 6, a five-token one 1 in 120:
        // expected 0.75 − 0.25/6 − 0.25/120 ≈ 0.706 (σ ≈ 0.004 over 3,000 texts)
        Assert.InRange(r.FractionChanged, 0.68, 0.73);
        Assert.False(Same.Tensors(test.Tokens, r.Test.Tokens));
    }

    [Fact]
    public void Shuffled_fixed_moves_every_text_train_and_test_by_one_permutation_of_positions()
    {
        using var train = Texts(12);
        using var test = Texts(8, first: 50);
        using var r = TokenNoise.Apply(train, test, TextInputMode.ShuffledFixed, seed: 3);
        var pi = Moves(r.Train, 0);                                           // text 0 has length T: the permutation itself
        Assert.Equal(Enumerable.Range(0, T).Select(p => (long)p), pi.Order());
        Assert.NotEqual(Enumerable.Range(0, T).Select(p => (long)p), pi);
        foreach (var split in new[] { r.Train, r.Test })
            for (int i = 0; i < split.Count; i++)
            {
                long length = split.Lengths[i].item<long>();
                // a text of length L reads its positions below L in π's order
                Assert.Equal(pi.Where(p => p < length), Moves(split, i));
            }
    }

    [Fact]
    public void Random_tokens_are_drawn_from_the_training_unigram_and_keep_padding()
    {
        // training ids: 2 three times as often as 3; test ids 9 never occur in training
        var tokens = new long[4000 * T];
        var lengths = new long[4000];
        for (int i = 0; i < 4000; i++)
        {
            lengths[i] = i % 2 == 0 ? T : 4;
            for (int p = 0; p < lengths[i]; p++) tokens[i * T + p] = p % 4 == 3 ? 3 : 2;
        }
        using var train = new TextSplit(tensor(tokens, [4000, T]), tensor(lengths), zeros(4000, ScalarType.Int64));
        using var test = new TextSplit(full(10, T, 9L, ScalarType.Int64), full(10, T, ScalarType.Int64), zeros(10, ScalarType.Int64));
        using var unigram = TokenNoise.Unigram(train);
        Assert.Equal([0, 0, 0.75, 0.25], unigram.data<double>().ToArray());
        using var r = TokenNoise.Apply(train, test, TextInputMode.Random, seed: 11);
        using var mask = train.Mask();
        using var drawn = r.Train.Tokens.masked_select(mask);
        double twos = drawn.eq(2L.ToScalar()).to_type(ScalarType.Float64).mean().item<double>();
        Assert.InRange(twos, 0.74, 0.76);                                      // 24,000 draws: σ ≈ 0.003
        Assert.Equal(0, r.Train.Tokens.masked_select(mask.logical_not()).count_nonzero().item<long>());
        Assert.Equal(0, r.Test.Tokens.eq(9L.ToScalar()).count_nonzero().item<long>());
        Assert.Equal(0, r.Test.Tokens.lt(2L.ToScalar()).count_nonzero().item<long>());
        // the positions' draws are independent: position 3 is no longer always id 3
        Assert.True(r.Train.Tokens[.., 3].eq(2L.ToScalar()).any().item<bool>());
    }

    [Theory]
    [InlineData(TextInputMode.Shuffled)]
    [InlineData(TextInputMode.ShuffledFixed)]
    [InlineData(TextInputMode.Random)]
    public void Each_randomization_is_a_pure_function_of_the_seed(TextInputMode mode)
    {
        using var train = Texts(50);
        using var test = Texts(10, first: 80);
        using var a = TokenNoise.Apply(train, test, mode, seed: 5);
        using var b = TokenNoise.Apply(train, test, mode, seed: 5);
        using var c = TokenNoise.Apply(train, test, mode, seed: 6);
        Assert.True(Same.Tensors(a.Train.Tokens, b.Train.Tokens) && Same.Tensors(a.Test.Tokens, b.Test.Tokens));
        Assert.False(Same.Tensors(a.Train.Tokens, c.Train.Tokens));
    }

    [Fact]
    public void True_inputs_and_an_untouched_test_set_stay_as_they_were()
    {
        using var train = Texts(20);
        using var test = Texts(6, first: 40);
        using var same = TokenNoise.Apply(train, test, TextInputMode.True, seed: 1);
        Assert.True(Same.Tensors(train.Tokens, same.Train.Tokens));
        Assert.Equal(0, same.FractionChanged);
        using var trainOnly = TokenNoise.Apply(train, test, TextInputMode.Shuffled, seed: 1, applyToTest: false);
        Assert.True(Same.Tensors(test.Tokens, trainOnly.Test.Tokens));
        Assert.False(Same.Tensors(train.Tokens, trainOnly.Train.Tokens));
    }
}
