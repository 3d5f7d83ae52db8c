namespace Shatter.Data;

/// <summary>
/// A loaded image folder: the dataset (the caller owns it), how many files were decoded for it (0 when it came
/// from the cache) and the cache file it was read from or written to (null when no cache folder was writable).
/// </summary>
public sealed record ImageFolderLoad(ImageDataset Dataset, int DecodedFiles, string? CacheFile);
