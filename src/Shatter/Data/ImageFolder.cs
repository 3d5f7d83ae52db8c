using static TorchSharp.torch;

namespace Shatter.Data;

/// <summary>
/// <c>folder:PATH</c> image datasets in torchvision's ImageFolder convention (<see cref="FolderTree"/>), decoded by
/// SkiaSharp (<see cref="ImageDecoding"/>) into the types the IDX and CIFAR readers produce: uint8 (N, C, H, W)
/// images and int64 labels, so corruptions, whitening and models work on them unchanged. C is 1 when every image
/// (train and test) is stored as grey, else 3 (RGB; grey images get their value in all three channels; alpha is
/// dropped). A tree without train/ and test/ is split by <see cref="SeededSplit"/>. The decoded tensors are cached
/// (<see cref="ImageFolderCache"/>), so a second load decodes nothing.
/// </summary>
public static class ImageFolder
{
    public const string Prefix = "folder:";

    public static ImageFolderLoad Load(string root, ImageFolderOptions options)
    {
        if (options.ImageSize is int s && (s < 1 || s > ImageFolderOptions.MaxImageSize))
            throw new ShatterException($"the image size must be from 1 to {ImageFolderOptions.MaxImageSize} pixels, not {s}; 32 resizes and centre-crops every image to 32×32.");
        var tree = FolderTree.Scan(root, FolderTree.Images);
        var (train, test) = Splits(tree, options);
        var key = ImageFolderCache.Key(root, KeyParts(tree, options, train, test));
        var folders = ImageFolderCache.Folders(root, options.CacheFolder);
        foreach (var folder in folders)
        {
            var file = Path.Combine(folder, ImageFolderCache.FileName(key));
            if (ImageFolderCache.TryRead(file, key) is { } cached)
                return new ImageFolderLoad(new ImageDataset(Prefix + root, cached.Train, cached.Test, cached.Classes) { Source = root, Cache = $"read from the cache {file} (nothing decoded)" }, 0, file);
        }
        var (trainSplit, testSplit) = Decode(train, test, options.ImageSize);
        var written = ImageFolderCache.Write(folders, key, tree.Classes, trainSplit, testSplit);
        int decoded = train.Count + test.Count;
        var cache = written is null ? $"decoded {decoded} images (no cache folder was writable)" : $"decoded {decoded} images (cached in {written})";
        return new ImageFolderLoad(new ImageDataset(Prefix + root, trainSplit, testSplit, tree.Classes) { Source = root, Cache = cache }, decoded, written);
    }

    /// <summary>The training and test files: the tree's own, or its one list split by the seeded fraction.</summary>
    static (IReadOnlyList<FolderTree.Entry> Train, IReadOnlyList<FolderTree.Entry> Test) Splits(FolderTree tree, ImageFolderOptions options)
    {
        if (tree.Test is not null) return (tree.Train, tree.Test);
        var (trainIdx, testIdx) = SeededSplit.Stratified(tree.Train.Select(e => e.Label).ToList(), tree.Classes.Count, options.TestFraction, options.SplitSeed);
        return (trainIdx.Select(i => tree.Train[i]).ToList(), testIdx.Select(i => tree.Train[i]).ToList());
    }

    static IEnumerable<string> KeyParts(FolderTree tree, ImageFolderOptions options, IReadOnlyList<FolderTree.Entry> train, IReadOnlyList<FolderTree.Entry> test)
    {
        yield return $"size {options.ImageSize?.ToString() ?? "native"}";
        yield return tree.Test is null ? $"split {options.TestFraction:R} seed {options.SplitSeed}" : "split train/ test/";
        foreach (var e in train) yield return ImageFolderCache.Part(tree.Root, "train", e);
        foreach (var e in test) yield return ImageFolderCache.Part(tree.Root, "test", e);
    }

    /// <summary>
    /// Decodes every file (in parallel; the first failing file in list order is the one reported) into RGBA
    /// (N, H, W, 4), then keeps one channel when all are grey, else RGB, as (N, C, H, W).
    /// </summary>
    static (ImageSplit Train, ImageSplit Test) Decode(IReadOnlyList<FolderTree.Entry> train, IReadOnlyList<FolderTree.Entry> test, int? side)
    {
        var all = train.Concat(test).ToList();
        // the first image fixes the size when no --image-size is given
        var head = ImageDecoding.ReadHeader(all[0].Path);
        int h = side ?? head.Height, w = side ?? head.Width;
        using var rgba = empty([all.Count, h, w, 4], ScalarType.Byte);
        var grey = new bool[all.Count];
        var errors = new ShatterException?[all.Count];
        Parallel.For(0, all.Count, (i, state) =>
        {
            try
            {
                using var slot = rgba.select(0, i);
                grey[i] = ImageDecoding.Decode(all[i].Path, side, slot.bytes, (head.Width, head.Height)).Grey;
            }
            catch (ShatterException e)
            {
                errors[i] = e;
                state.Break();
            }
        });
        if (errors.FirstOrDefault(e => e is not null) is { } error) throw error;
        using var scope = NewDisposeScope();
        var chw = grey.All(g => g) ? rgba.narrow(3, 0, 1) : rgba.narrow(3, 0, 3);
        var images = chw.permute(0, 3, 1, 2).contiguous();                       // (N, H, W, C) -> (N, C, H, W)
        var labels = tensor(all.Select(e => (long)e.Label).ToArray(), ScalarType.Int64);
        var trainSplit = new ImageSplit(images.narrow(0, 0, train.Count).contiguous().MoveToOuterDisposeScope(), labels.narrow(0, 0, train.Count).contiguous().MoveToOuterDisposeScope());
        var testSplit = new ImageSplit(images.narrow(0, train.Count, test.Count).contiguous().MoveToOuterDisposeScope(), labels.narrow(0, train.Count, test.Count).contiguous().MoveToOuterDisposeScope());
        return (trainSplit, testSplit);
    }
}
