namespace Shatter.Data;

/// <summary>
/// How a <c>folder:PATH</c> image tree is read. <see cref="ImageSize"/>: every image resized (shorter side) and
/// centre-cropped to this side (--image-size N); null keeps the files' own size, which must then be the same for
/// all. <see cref="TestFraction"/> and <see cref="SplitSeed"/>: the seeded, class-stratified test split of a tree
/// without train/ and test/ (ignored when it has them). <see cref="CacheFolder"/>: where the decoded tensors are
/// kept; null: PATH/.shatter-cache, else (a read-only tree) $XDG_CACHE_HOME/shatter or ~/.cache/shatter.
/// </summary>
public sealed record ImageFolderOptions(
    int? ImageSize = null,
    double TestFraction = SeededSplit.DefaultTestFraction,
    long SplitSeed = 0,
    string? CacheFolder = null)
{
    /// <summary>Largest --image-size accepted (a guard against a typo that would exhaust memory).</summary>
    public const int MaxImageSize = 4096;
}
