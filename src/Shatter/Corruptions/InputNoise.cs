using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Corruptions;

/// <summary>
/// Inputs after randomization: float (N, C, H, W) train and test images, and the per-training-example
/// mask of images that changed (bool N) with its mean.
/// </summary>
public sealed record InputCorruptionResult(Tensor Train, Tensor Test, Tensor Changed, double FractionChanged) : IDisposable
{
    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
        Changed.Dispose();
    }
}

/// <summary>
/// Applies an <see cref="InputCorruption"/> to float images (N, C, H, W), once, as a pure function of
/// (images, corruption, seed). Work is vectorised over chunks of images; the chunk size is fixed and every
/// draw comes from a CPU generator (then moves to the images' device), so the random stream, and therefore
/// the result, depends neither on the machine nor on where the images live.
/// </summary>
public static class InputNoise
{
    const int Chunk = 2048;

    public static InputCorruptionResult Apply(Tensor train, Tensor test, InputCorruption c, long seed)
    {
        if (TextInputs.IsTokenMode(c.Mode))
            throw new ShatterException($"--inputs {TextInputs.Word(c.Mode)} randomizes the tokens of texts, not images; use --inputs true, shuffled, random or gaussian.");
        using var scope = NewDisposeScope();
        using var gen = new Generator((ulong)seed);
        Tensor newTrain, newTest;
        switch (c.Mode)
        {
            case InputMode.True:
                newTrain = train.alias();
                newTest = test.alias();
                break;
            case InputMode.Shuffled:
            {
                // One permutation of the H·W locations (or C·H·W values), shared by train and test.
                long size = c.Unit == PermutationUnit.Pixel ? train.shape[2] * train.shape[3] : train.shape[1] * train.shape[2] * train.shape[3];
                var perm = randperm(size, generator: gen);
                newTrain = PermuteAll(train, perm, c.Unit);
                newTest = c.ApplyToTest ? PermuteAll(test, perm, c.Unit) : test.alias();
                break;
            }
            case InputMode.Random:
                newTrain = PermuteEach(train, c.Unit, gen);
                newTest = c.ApplyToTest ? PermuteEach(test, c.Unit, gen) : test.alias();
                break;
            case InputMode.Gaussian:
            {
                var (mean, std) = Statistics(train, c.Statistics);
                newTrain = Gaussian(train.shape, mean, std, gen).to(train.device);
                newTest = c.ApplyToTest ? Gaussian(test.shape, mean, std, gen).to(test.device) : test.alias();
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(c));
        }
        var changed = newTrain.ne(train).flatten(1).any(1);
        double fraction = train.shape[0] == 0 ? 0 : changed.to_type(ScalarType.Float64).mean().item<double>();
        return new InputCorruptionResult(newTrain.MoveToOuterDisposeScope(), newTest.MoveToOuterDisposeScope(), changed.MoveToOuterDisposeScope(), fraction);
    }

    /// <summary>Applies one permutation to every image.</summary>
    static Tensor PermuteAll(Tensor x, Tensor perm, PermutationUnit unit)
    {
        long n = x.shape[0], ch = x.shape[1];
        perm = perm.to(x.device);
        return unit == PermutationUnit.Pixel
            ? x.reshape(n, ch, -1).index_select(2, perm).reshape(x.shape)
            : x.reshape(n, -1).index_select(1, perm).reshape(x.shape);
    }

    /// <summary>
    /// A fresh permutation per image: argsort of uniform float64 noise (53 random bits, so ties, which
    /// would bias the permutation, practically never occur), a chunk of images at a time, each chunk in its
    /// own dispose scope so the noise and indices of a whole dataset never exist at once.
    /// </summary>
    static Tensor PermuteEach(Tensor x, PermutationUnit unit, Generator gen)
    {
        long n = x.shape[0], ch = x.shape[1];
        var parts = new List<Tensor>();
        for (long start = 0; start < n; start += Chunk)
        {
            using var chunkScope = NewDisposeScope();
            long m = Math.Min(Chunk, n - start);
            var block = x.narrow(0, start, m);
            Tensor part;
            if (unit == PermutationUnit.Pixel)
            {
                // (m, C, H·W): one permutation of the locations per image, shared by its channels
                var flat = block.reshape(m, ch, -1);
                var idx = rand([m, flat.shape[2]], generator: gen, dtype: ScalarType.Float64).argsort(1).to(x.device).unsqueeze(1).expand(m, ch, flat.shape[2]);
                part = flat.gather(2, idx).reshape(block.shape);
            }
            else
            {
                // (m, C·H·W): one permutation of all values per image
                var flat = block.reshape(m, -1);
                var idx = rand([m, flat.shape[1]], generator: gen, dtype: ScalarType.Float64).argsort(1).to(x.device);
                part = flat.gather(1, idx).reshape(block.shape);
            }
            parts.Add(part.MoveToOuterDisposeScope());
        }
        return parts.Count == 0 ? x.alias() : cat(parts, 0);
    }

    /// <summary>
    /// Mean and population standard deviation over all values (global) or per channel, as (1, C or 1, 1, 1)
    /// float32 tensors. Two passes in float64 over chunks of images (exact, and never a float64 copy of the
    /// whole dataset).
    /// </summary>
    static (Tensor Mean, Tensor Std) Statistics(Tensor x, GaussianStatistics which)
    {
        long n = x.shape[0], ch = x.shape[1];
        long groups = which == GaussianStatistics.Global ? 1 : ch;
        long[] dims = which == GaussianStatistics.Global ? [0, 1, 2, 3] : [0, 2, 3];
        double perGroup = (double)x.numel() / groups;
        var mean = new double[groups];
        var sumSq = new double[groups];
        for (int pass = 0; pass < 2; pass++)
            for (long start = 0; start < n; start += Chunk)
            {
                using var chunkScope = NewDisposeScope();
                var block = x.narrow(0, start, Math.Min(Chunk, n - start)).to_type(ScalarType.Float64);
                if (pass == 0)
                {
                    var sums = block.sum(dims).data<double>().ToArray();
                    for (int g = 0; g < groups; g++) mean[g] += sums[g] / perGroup;
                }
                else
                {
                    var centred = block.sub(tensor(mean, ScalarType.Float64).reshape(1, groups, 1, 1).to(block.device));
                    var sums = centred.mul(centred).sum(dims).data<double>().ToArray();
                    for (int g = 0; g < groups; g++) sumSq[g] += sums[g];
                }
            }
        var std = sumSq.Select(v => (float)Math.Sqrt(v / perGroup)).ToArray();
        return (tensor(mean.Select(v => (float)v).ToArray()).reshape(1, groups, 1, 1), tensor(std).reshape(1, groups, 1, 1));
    }

    static Tensor Gaussian(long[] shape, Tensor mean, Tensor std, Generator gen)
    {
        using var one = 1.ToScalar(); // held for the call: an implicit Scalar can be freed mid-call (docs/torchsharp.md)
        return randn(shape, generator: gen).mul_(std).add_(mean, one);
    }
}
