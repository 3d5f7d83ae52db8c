using Shatter.Data;
using Shatter.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Corruptions;

/// <summary>
/// Applies a <see cref="TextInputMode"/> to a text dataset's splits, once, as a pure function of (splits, mode, seed):
/// every draw comes from one CPU generator seeded with <c>seed</c>, a fixed chunk of texts at a time, so the result
/// depends neither on the machine nor on the device. The test split receives the same kind of input (shuffled-fixed:
/// the same permutation; shuffled and random: its own draws, from the training unigram for random) unless
/// <c>applyToTest</c> is false, as the image randomizations do. Labels and lengths are kept.
/// </summary>
public static class TokenNoise
{
    const int Chunk = 2048;

    public static TextCorruptionResult Apply(TextSplit train, TextSplit test, TextInputMode mode, long seed, bool applyToTest = true)
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator((ulong)seed);
        Tensor newTrain, newTest;
        switch (mode)
        {
            case TextInputMode.True:
                newTrain = train.Tokens.alias();
                newTest = test.Tokens.alias();
                break;
            case TextInputMode.Shuffled:
                newTrain = Chunked(train, (tokens, lengths) => Reorder(tokens, lengths, rand([tokens.shape[0], tokens.shape[1]], generator: gen, dtype: ScalarType.Float64)));
                newTest = applyToTest ? Chunked(test, (tokens, lengths) => Reorder(tokens, lengths, rand([tokens.shape[0], tokens.shape[1]], generator: gen, dtype: ScalarType.Float64))) : test.Tokens.alias();
                break;
            case TextInputMode.ShuffledFixed:
            {
                // rank[p]: where position p comes in π; a text keeps its positions below L in that order
                var perm = randperm(train.MaxTokens, generator: gen);
                var rank = perm.argsort().to_type(ScalarType.Float64).unsqueeze(0);
                newTrain = Chunked(train, (tokens, lengths) => Reorder(tokens, lengths, rank.expand(tokens.shape[0], -1)));
                newTest = applyToTest ? Chunked(test, (tokens, lengths) => Reorder(tokens, lengths, rank.expand(tokens.shape[0], -1))) : test.Tokens.alias();
                break;
            }
            case TextInputMode.Random:
            {
                var unigram = Unigram(train);
                newTrain = Chunked(train, (tokens, lengths) => Draw(tokens, lengths, unigram, gen));
                newTest = applyToTest ? Chunked(test, (tokens, lengths) => Draw(tokens, lengths, unigram, gen)) : test.Tokens.alias();
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(mode));
        }
        var changed = newTrain.ne(train.Tokens).any(1);
        double fraction = train.Count == 0 ? 0 : changed.to_type(ScalarType.Float64).mean().item<double>();
        var trainSplit = new TextSplit(newTrain.MoveToOuterDisposeScope(), train.Lengths.alias().MoveToOuterDisposeScope(), train.Labels.alias().MoveToOuterDisposeScope());
        var testSplit = new TextSplit(newTest.MoveToOuterDisposeScope(), test.Lengths.alias().MoveToOuterDisposeScope(), test.Labels.alias().MoveToOuterDisposeScope());
        return new TextCorruptionResult(trainSplit, testSplit, changed.MoveToOuterDisposeScope(), fraction);
    }

    /// <summary>The frequency of each id among the training split's non-padding tokens, float64 (vocabulary) summing to 1.</summary>
    public static Tensor Unigram(TextSplit train)
    {
        using var scope = NewDisposeScope();
        using var mask = train.Mask();
        var ids = train.Tokens.masked_select(mask).cpu();
        long size = ids.numel() == 0 ? 1 : ids.max().item<long>() + 1;
        var counts = ids.bincount(null, size).to_type(ScalarType.Float64);
        using var total = counts.sum().item<double>().ToScalar();
        return counts.div(total).MoveToOuterDisposeScope();
    }

    /// <summary>Runs <paramref name="f"/> over fixed chunks of texts (CPU tensors), each chunk in its own dispose scope, and concatenates.</summary>
    static Tensor Chunked(TextSplit split, Func<Tensor, Tensor, Tensor> f)
    {
        long n = split.Count;
        var parts = new List<Tensor>();
        for (long start = 0; start < n; start += Chunk)
        {
            using var chunkScope = NewDisposeScope();
            long m = Math.Min(Chunk, n - start);
            var tokens = split.Tokens.narrow(0, start, m).cpu();
            var lengths = split.Lengths.narrow(0, start, m).cpu();
            parts.Add(f(tokens, lengths).to(split.Tokens.device).MoveToOuterDisposeScope());
        }
        return parts.Count == 0 ? split.Tokens.alias() : cat(parts, 0);
    }

    /// <summary>
    /// (m, T) tokens with each text's non-padding positions sorted by <paramref name="keys"/> (m, T) and the padding
    /// positions kept after them in order (their key is T + position, above every key in [0, T)).
    /// </summary>
    static Tensor Reorder(Tensor tokens, Tensor lengths, Tensor keys)
    {
        long t = tokens.shape[1];
        var positions = HeldScalars.Arange(t).unsqueeze(0);
        var padding = positions.ge(lengths.unsqueeze(1));                              // (m, T)
        using Scalar offset = ((double)t).ToScalar(), one = 1.0.ToScalar();
        var padKeys = positions.to_type(ScalarType.Float64).add(offset, one).expand(tokens.shape[0], -1);
        var order = where(padding, padKeys, keys).argsort(1);
        return tokens.gather(1, order);
    }

    /// <summary>(m, T) tokens with every non-padding token replaced by a draw from <paramref name="unigram"/>.</summary>
    static Tensor Draw(Tensor tokens, Tensor lengths, Tensor unigram, Generator gen)
    {
        var drawn = unigram.multinomial(tokens.numel(), replacement: true, generator: gen).reshape(tokens.shape);
        var positions = HeldScalars.Arange(tokens.shape[1]).unsqueeze(0);
        var real = positions.lt(lengths.unsqueeze(1));
        return where(real, drawn, tokens);
    }
}
