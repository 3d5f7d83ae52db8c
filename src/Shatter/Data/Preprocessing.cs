using static TorchSharp.torch;

namespace Shatter.Data;

/// <summary>
/// The paper's preprocessing (Appendix A): pixels / 255, centre crop to 28×28, then per-image whitening
/// exactly as TensorFlow's per_image_standardization.
/// </summary>
public static class Preprocessing
{
    /// <summary>The paper's crop for an image size: 28 for CIFAR's 32×32, none (0) otherwise.</summary>
    public static int DefaultCrop(int height, int width) => height == 32 && width == 32 ? 28 : 0;

    /// <summary>
    /// The whole pipeline on uint8 (N, C, H, W): /255 → centre crop to crop×crop (0: no crop) → per-image
    /// whitening when <paramref name="whiten"/> → contiguous float32 (N, C, crop or H, crop or W). Works a
    /// chunk of images at a time, so the only full-size tensor made is the result.
    /// </summary>
    public static Tensor Apply(Tensor images, int crop, bool whiten)
    {
        long n = images.shape[0];
        var parts = new List<Tensor>();
        using var scope = NewDisposeScope();
        for (long start = 0; start < n; start += 4096)
        {
            using var chunkScope = NewDisposeScope();
            var x = ToUnitFloat(images.narrow(0, start, Math.Min(4096, n - start)));
            if (crop > 0) x = CenterCrop(x, crop);
            if (whiten) x = PerImageStandardization(x);
            parts.Add(x.contiguous().MoveToOuterDisposeScope());
        }
        var result = parts.Count == 0
            ? ToUnitFloat(crop > 0 ? CenterCrop(images, crop) : images).contiguous()
            : parts.Count == 1 ? parts[0] : cat(parts, 0);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>uint8 (N, C, H, W) → float32 in [0, 1].</summary>
    public static Tensor ToUnitFloat(Tensor images) => images.to_type(ScalarType.Float32).div_(255f);

    /// <summary>(N, C, H, W) → (N, C, size, size), the centre (offset ⌊(H−size)/2⌋; 32→28 keeps rows 2..29).</summary>
    public static Tensor CenterCrop(Tensor x, int size)
    {
        long h = x.shape[2], w = x.shape[3];
        if (size > h || size > w) throw new ShatterException($"cannot crop {h}×{w} images to {size}×{size}; choose a crop no larger than the images.");
        if (size == h && size == w) return x.alias();
        return x.narrow(2, (h - size) / 2, size).narrow(3, (w - size) / 2, size);
    }

    /// <summary>
    /// TensorFlow's per_image_standardization over each image's C·H·W values:
    /// (x − mean) / max(std, 1/√(C·H·W)), std the population standard deviation.
    /// </summary>
    public static Tensor PerImageStandardization(Tensor x)
    {
        using var scope = NewDisposeScope();
        long n = x.shape[0];
        var flat = x.reshape(n, -1);
        var mean = flat.mean([1], keepdim: true);
        var std = flat.std(1, unbiased: false, keepdim: true);
        var adjusted = std.clamp_min(1.0 / Math.Sqrt(flat.shape[1]));
        return flat.sub(mean).div_(adjusted).reshape(x.shape).MoveToOuterDisposeScope();
    }

    /// <summary>Mean and population standard deviation of all pixel values in [0, 1].</summary>
    public static (double Mean, double Std) PixelStatistics(Tensor images)
    {
        var (means, stds) = ChannelStatistics(images);
        // every channel holds the same number of values: the global moments are averages of the channels'
        double mean = means.Average();
        double variance = means.Zip(stds, (m, s) => s * s + (m - mean) * (m - mean)).Average();
        return (mean, Math.Sqrt(variance));
    }

    /// <summary>Per-channel mean and population standard deviation of uint8 (N, C, H, W) images in [0, 1] (computed in chunks to bound memory).</summary>
    public static (double[] Mean, double[] Std) ChannelStatistics(Tensor images)
    {
        long n = images.shape[0], c = images.shape[1];
        var sum = new double[c];
        var sumSq = new double[c];
        for (long start = 0; start < n; start += 4096)
        {
            using var scope = NewDisposeScope();
            // (m, C, H, W) → float64 sums per channel; values in [0, 1] keep E[x²] − E[x]² well conditioned
            var chunk = ToUnitFloat(images.narrow(0, start, Math.Min(4096, n - start))).to_type(ScalarType.Float64);
            var s = chunk.sum([0, 2, 3]).data<double>().ToArray();
            var q = chunk.square().sum([0, 2, 3]).data<double>().ToArray();
            for (int k = 0; k < c; k++) { sum[k] += s[k]; sumSq[k] += q[k]; }
        }
        double count = Math.Max(1, n * images.shape[2] * images.shape[3]);
        var mean = sum.Select(v => v / count).ToArray();
        var std = sumSq.Select((v, k) => Math.Sqrt(Math.Max(0, v / count - mean[k] * mean[k]))).ToArray();
        return (mean, std);
    }
}
