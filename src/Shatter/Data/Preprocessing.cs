using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Data;

/// <summary>
/// The paper's preprocessing steps (Appendix A): pixels / 255, centre crop to 28×28, per-image whitening
/// exactly as TensorFlow's per_image_standardization. They are composed, with the input randomizations, in one
/// place: <see cref="Training.TrainingData.PrepareImages"/>.
/// </summary>
public static class Preprocessing
{
    /// <summary>The paper's crop for an image size: 28 for CIFAR's 32×32, none (0) otherwise.</summary>
    public static int DefaultCrop(int height, int width) => height == 32 && width == 32 ? 28 : 0;

    /// <summary>uint8 (N, C, H, W) → float32 in [0, 1].</summary>
    public static Tensor ToUnitFloat(Tensor images)
    {
        using var max = 255f.ToScalar(); // held for the call (docs/torchsharp.md)
        return images.to_type(ScalarType.Float32).div_(max);
    }

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
        using var floor = (1.0 / Math.Sqrt(flat.shape[1])).ToScalar();
        var adjusted = std.clamp_min(floor);
        return flat.sub(mean).div_(adjusted).reshape(x.shape).MoveToOuterDisposeScope();
    }

    /// <summary>Mean and population standard deviation of all pixel values of uint8 (N, C, H, W) images, in [0, 1].</summary>
    public static (double Mean, double Std) PixelStatistics(Tensor images) => CombineChannels(ChannelStatistics(images));

    /// <summary>The global moments from the per-channel ones (every channel holds the same number of values).</summary>
    public static (double Mean, double Std) CombineChannels((double[] Mean, double[] Std) channels)
    {
        double mean = channels.Mean.Average();
        double variance = channels.Mean.Zip(channels.Std, (m, s) => s * s + (m - mean) * (m - mean)).Average();
        return (mean, Math.Sqrt(variance));
    }

    /// <summary>
    /// Per-channel mean and population standard deviation of uint8 (N, C, H, W) images, in [0, 1]: from exact
    /// per-channel histograms of the 256 byte values, taken a chunk of images at a time (no float copy of the set).
    /// </summary>
    public static (double[] Mean, double[] Std) ChannelStatistics(Tensor images)
    {
        if (images.dtype != ScalarType.Byte) throw new ArgumentException($"expected uint8 images, got {images.dtype}");
        long n = images.shape[0], c = images.shape[1];
        var histogram = new long[c, 256];
        for (long start = 0; start < n; start += 4096)
        {
            using var scope = NewDisposeScope();
            var block = images.narrow(0, start, Math.Min(4096, n - start));
            for (int k = 0; k < c; k++)
            {
                var counts = block.select(1, k).flatten().bincount(null, 256).data<long>().ToArray();
                for (int v = 0; v < 256; v++) histogram[k, v] += counts[v];
            }
        }
        var mean = new double[c];
        var std = new double[c];
        for (int k = 0; k < c; k++)
        {
            double count = 0, sum = 0, sumSq = 0;
            for (int v = 0; v < 256; v++)
            {
                double x = v / 255.0, h = histogram[k, v];
                count += h;
                sum += h * x;
                sumSq += h * x * x;
            }
            count = Math.Max(count, 1);
            mean[k] = sum / count;
            std[k] = Math.Sqrt(Math.Max(0, sumSq / count - mean[k] * mean[k]));
        }
        return (mean, std);
    }
}
