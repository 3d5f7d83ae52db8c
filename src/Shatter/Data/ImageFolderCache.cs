using System.Security.Cryptography;
using System.Text;
using static TorchSharp.torch;

namespace Shatter.Data;

/// <summary>
/// The decoded tensors of an image folder, kept so that a second load reads one file instead of decoding every
/// image. The key is a SHA-256 of what the tensors depend on: the format version, the tree's full path, the image size, the split
/// (fraction and seed, or the tree's own train/ and test/), and every file's relative path, label, length and
/// modification time; a changed, added or removed image gives a new key, so a stale cache is never read. The file
/// (<c>images-&lt;key prefix&gt;.bin</c>): the format tag, the full key, the class names, then per split the count,
/// C, H, W, the uint8 images (N, C, H, W) and the int64 labels, little-endian. A cache that cannot be read is
/// ignored (the images are decoded again); one that cannot be written is skipped.
/// </summary>
internal static class ImageFolderCache
{
    const string Format = "shatter-image-cache-1";
    const int Buffer = 1 << 20;

    public static string Key(string root, IEnumerable<string> parts)
    {
        var text = new StringBuilder(Format).Append('\n').Append(Path.GetFullPath(root)).Append('\n');
        foreach (var p in parts) text.Append(p).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>One file's part of the key: split, relative path, label, length, modification time.</summary>
    public static string Part(string root, string split, FolderTree.Entry e)
    {
        var info = new FileInfo(e.Path);
        return $"{split}\t{Path.GetRelativePath(root, e.Path)}\t{e.Label}\t{info.Length}\t{info.LastWriteTimeUtc.Ticks}";
    }

    /// <summary>Folders to keep the cache in, in order of preference.</summary>
    public static IReadOnlyList<string> Folders(string root, string? explicitFolder)
    {
        if (explicitFolder is not null) return [explicitFolder];
        var user = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(user)) user = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return [Path.Combine(root, ".shatter-cache"), Path.Combine(user, "shatter")];
    }

    public static string FileName(string key) => $"images-{key[..16]}.bin";

    /// <summary>The cached dataset under <paramref name="key"/>, or null when there is none or it cannot be read.</summary>
    public static (ImageSplit Train, ImageSplit Test, string[] Classes)? TryRead(string file, string key)
    {
        if (!File.Exists(file)) return null;
        ImageSplit? train = null;
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, Buffer);
            using var reader = new BinaryReader(stream);
            if (reader.ReadString() != Format || reader.ReadString() != key) return null;
            var classes = new string[reader.ReadInt32()];
            for (int i = 0; i < classes.Length; i++) classes[i] = reader.ReadString();
            train = ReadSplit(reader);
            var test = ReadSplit(reader);
            return (train, test, classes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidDataException or FormatException or OverflowException)
        {
            train?.Dispose();
            return null;
        }
    }

    static ImageSplit ReadSplit(BinaryReader reader)
    {
        long n = reader.ReadInt64(), c = reader.ReadInt64(), h = reader.ReadInt64(), w = reader.ReadInt64();
        long left = reader.BaseStream.Length - reader.BaseStream.Position;
        // checked before allocating: a damaged header must not ask for more memory than the file could hold
        if (n < 0 || c is not (1 or 3) || h < 1 || w < 1 || h > ImageFolderOptions.MaxImageSize * 64 || w > ImageFolderOptions.MaxImageSize * 64
            || (double)n * (c * h * w + sizeof(long)) > left)
            throw new InvalidDataException("bad shape");
        var images = empty([n, c, h, w], ScalarType.Byte);
        var labels = empty([n], ScalarType.Int64);
        try
        {
            images.ReadBytesFromStream(reader.BaseStream, Buffer);
            labels.ReadBytesFromStream(reader.BaseStream, Buffer);
            return new ImageSplit(images, labels);
        }
        catch
        {
            images.Dispose();
            labels.Dispose();
            throw;
        }
    }

    /// <summary>Writes the cache atomically into the first folder that takes it; returns its path, or null.</summary>
    public static string? Write(IReadOnlyList<string> folders, string key, IReadOnlyList<string> classes, ImageSplit train, ImageSplit test)
    {
        foreach (var folder in folders)
        {
            var file = Path.Combine(folder, FileName(key));
            try
            {
                AtomicFile.Write(file, stream =>
                {
                    using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
                    writer.Write(Format);
                    writer.Write(key);
                    writer.Write(classes.Count);
                    foreach (var c in classes) writer.Write(c);
                    foreach (var split in new[] { train, test })
                    {
                        foreach (var size in split.Images.shape) writer.Write(size);
                        writer.Flush();
                        split.Images.WriteBytesToStream(stream, Buffer);
                        split.Labels.WriteBytesToStream(stream, Buffer);
                    }
                });
                return file;
            }
            catch (ShatterException)
            {
                // not writable (a system or read-only tree): try the next folder, else go without a cache
            }
        }
        return null;
    }
}
