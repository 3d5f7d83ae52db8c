namespace Shatter.Data;

/// <summary>A named dataset in memory: train and test splits and the class names (index = label).</summary>
public sealed class ImageDataset(string name, ImageSplit train, ImageSplit test, IReadOnlyList<string> classNames) : IDisposable
{
    public string Name { get; } = name;
    public ImageSplit Train { get; } = train;
    public ImageSplit Test { get; } = test;
    public IReadOnlyList<string> ClassNames { get; } = classNames;
    public int Classes => ClassNames.Count;
    /// <summary>Where the files were read from (a folder or an archive), for the user to see.</summary>
    public string Source { get; init; } = "";
    /// <summary>
    /// A folder:PATH dataset's cache of decoded tensors, in words: "decoded N images (cache FILE)" or "read from the cache
    /// FILE (nothing decoded)"; null for the other sources.
    /// </summary>
    public string? Cache { get; init; }

    /// <summary>(C, H, W) of one image as stored (before any crop).</summary>
    public (int Channels, int Height, int Width) ImageShape =>
        ((int)Train.Images.shape[1], (int)Train.Images.shape[2], (int)Train.Images.shape[3]);

    /// <summary>A dataset with other splits and the same name and classes; the caller hands over ownership.</summary>
    public ImageDataset With(ImageSplit train, ImageSplit test) => new(Name, train, test, ClassNames) { Source = Source, Cache = Cache };

    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}
