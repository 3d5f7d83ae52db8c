using static TorchSharp.torch;

namespace Shatter.Data;

/// <summary>
/// One split of a dataset, held in memory: images uint8 (N, C, H, W) in [0, 255] and labels int64 (N).
/// Owns its tensors.
/// </summary>
public sealed class ImageSplit : IDisposable
{
    public ImageSplit(Tensor images, Tensor labels)
    {
        if (images.dtype != ScalarType.Byte || images.dim() != 4)
            throw new ArgumentException($"images must be uint8 (N, C, H, W), got {images.dtype} {string.Join('x', images.shape)}");
        if (labels.dtype != ScalarType.Int64 || labels.dim() != 1 || labels.shape[0] != images.shape[0])
            throw new ArgumentException("labels must be int64 (N) with one label per image");
        Images = images;
        Labels = labels;
    }

    /// <summary>uint8 (N, C, H, W).</summary>
    public Tensor Images { get; }
    /// <summary>int64 (N).</summary>
    public Tensor Labels { get; }
    public int Count => (int)Images.shape[0];

    /// <summary>The examples at <paramref name="indices"/> (int64), as a new split.</summary>
    public ImageSplit Select(Tensor indices) => new(Images.index_select(0, indices), Labels.index_select(0, indices));

    /// <summary>Examples per class, for classes 0..classes-1.</summary>
    public long[] ClassCounts(int classes) => Labels.bincount(null, classes).data<long>().ToArray();

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
