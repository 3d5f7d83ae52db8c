using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Theory;

/// <summary>
/// The paper's preprocessing experiment (§5: features from a random convolutional network lower the
/// kernel's test error): one convolution with <c>filters</c> random Gaussian 5×5 filters (padding 2,
/// weights N(0, 1/fan-in), no bias), ReLU, and p×p average pooling (default 2), flattened: (N, C·H·W) → (N,
/// filters·⌈H/p⌉·⌈W/p⌉). The features are scaled by one constant so that their mean squared norm on the
/// training set equals that of the raw pixels, so the same bandwidth γ means the same thing.
/// </summary>
public static class RandomConvFeatures
{
    public static (Tensor Train, Tensor Test) Transform(Tensor train, Tensor test, (int Channels, int Height, int Width) shape, int filters, long seed, int pool = 2)
    {
        if (filters < 1) throw new ShatterException($"--filters must be at least 1, not {filters}.");
        if (pool < 1) throw new ShatterException($"--pool must be at least 1, not {pool}.");
        using var scope = NewDisposeScope();
        using var gen = new Generator((ulong)Seeds.Derive(seed, "random-conv"));
        var (c, h, w) = shape;
        using var fanIn = Math.Sqrt(c * 25.0).ToScalar(); // held for the call (docs/torchsharp.md)
        var weight = randn([filters, c, 5, 5], generator: gen).div_(fanIn);                 // (F, C, 5, 5)
        var trainF = Apply(train, weight, c, h, w, pool);
        var testF = Apply(test, weight, c, h, w, pool);
        using var two = 2.ToScalar();
        double pixels = train.pow(two).sum(1).mean().item<float>();
        double features = trainF.pow(two).sum(1).mean().item<float>();
        using var scale = ((float)Math.Sqrt(pixels / Math.Max(features, double.Epsilon))).ToScalar();
        return (trainF.mul_(scale).MoveToOuterDisposeScope(), testF.mul_(scale).MoveToOuterDisposeScope());
    }

    static Tensor Apply(Tensor x, Tensor weight, int c, int h, int w, int pool)
    {
        var parts = new List<Tensor>();
        for (long s = 0; s < x.shape[0]; s += 1000)
        {
            long b = Math.Min(1000, x.shape[0] - s);
            var images = x.narrow(0, s, b).reshape(b, c, h, w);                                      // (B, C, H, W)
            var conv = nn.functional.relu(nn.functional.conv2d(images, weight, padding: [2, 2]));     // (B, F, H, W)
            var pooled = nn.functional.avg_pool2d(conv, [pool, pool], ceil_mode: true);              // (B, F, ⌈H/p⌉, ⌈W/p⌉)
            parts.Add(pooled.reshape(b, -1));
        }
        return cat(parts, 0).contiguous();
    }
}
