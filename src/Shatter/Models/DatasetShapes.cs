namespace Shatter.Models;

/// <summary>
/// Image shape and class count of each dataset that <see cref="Data.DatasetCatalog"/> loads, known without
/// reading its files, so that models can be listed and sized for a dataset that is not installed.
/// The paper centre-crops CIFAR to 28×28; <see cref="InputShape"/> applies the same default.
/// </summary>
public static class DatasetShapes
{
    public sealed record Shape(int Channels, int Height, int Width, int Classes);

    public static readonly IReadOnlyDictionary<string, Shape> Stored = new Dictionary<string, Shape>
    {
        ["fashion-mnist"] = new(1, 28, 28, 10),
        ["mnist"] = new(1, 28, 28, 10),
        ["cifar10"] = new(3, 32, 32, 10),
        ["cifar100"] = new(3, 32, 32, 100),
        ["cifar100-coarse"] = new(3, 32, 32, 20),
    };

    /// <summary>The default centre crop: 28 for CIFAR (paper), none (0) for the 28×28 datasets.</summary>
    public static int DefaultCrop(string dataset) => Lookup(dataset).Height == 32 ? 28 : 0;

    /// <summary>
    /// (C, H, W) the model sees and the class count: the stored shape after a centre crop of side
    /// <paramref name="crop"/> (null: the dataset's default; 0: no crop).
    /// </summary>
    public static ((int Channels, int Height, int Width) Input, int Classes) InputShape(string dataset, int? crop = null)
    {
        var s = Lookup(dataset);
        int side = crop ?? DefaultCrop(dataset);
        if (side < 0 || side > Math.Min(s.Height, s.Width))
            throw new ShatterException($"crop {side} does not fit {dataset}'s {s.Height}×{s.Width} images; use 0 (no crop) up to {Math.Min(s.Height, s.Width)}.");
        return side == 0 ? ((s.Channels, s.Height, s.Width), s.Classes) : ((s.Channels, side, side), s.Classes);
    }

    private static Shape Lookup(string dataset) =>
        Stored.TryGetValue(dataset.ToLowerInvariant(), out var s)
            ? s
            : throw new ShatterException($"unknown dataset '{dataset}'; use one of {string.Join(", ", Stored.Keys)}.");
}
