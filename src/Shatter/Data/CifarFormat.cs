using System.Formats.Tar;
using System.IO.Compression;
using static TorchSharp.torch;

namespace Shatter.Data;

/// <summary>Which CIFAR and, for CIFAR-100, which of its two label bytes.</summary>
public enum CifarVariant { Cifar10, Cifar100, Cifar100Coarse }

/// <summary>
/// The CIFAR "binary version": records of label byte(s) then 3072 pixel bytes (1024 red, 1024 green,
/// 1024 blue, each row-major 32×32). CIFAR-10 records have one label byte (3073 bytes); CIFAR-100
/// records have a coarse and a fine label byte (3074). Files may hold any number of whole records.
/// Read from a folder of the .bin files or from the official .tar.gz archive itself.
/// </summary>
public static class CifarFormat
{
    const int Pixels = 3 * 32 * 32;

    public static IReadOnlyList<string> TrainFiles(CifarVariant v) => v == CifarVariant.Cifar10
        ? ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"]
        : ["train.bin"];

    public static string TestFile(CifarVariant v) => v == CifarVariant.Cifar10 ? "test_batch.bin" : "test.bin";

    /// <summary>The file naming the classes in label order, one per line (optional).</summary>
    public static string MetaFile(CifarVariant v) => v switch
    {
        CifarVariant.Cifar10 => "batches.meta.txt",
        CifarVariant.Cifar100 => "fine_label_names.txt",
        _ => "coarse_label_names.txt",
    };

    public static int Classes(CifarVariant v) => v switch { CifarVariant.Cifar10 => 10, CifarVariant.Cifar100 => 100, _ => 20 };

    public static readonly IReadOnlyList<string> Cifar10Names =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>Loads from a folder holding the .bin files (e.g. cifar-10-batches-bin/).</summary>
    public static ImageDataset LoadFolder(string folder, CifarVariant v, string name)
    {
        byte[] Read(string file) => DataFiles.ReadAll(Path.Combine(folder, file));
        var meta = Path.Combine(folder, MetaFile(v));
        return Build(name, v, TrainFiles(v).Select(f => (Path.Combine(folder, f), Read(f))).ToList(),
            (Path.Combine(folder, TestFile(v)), Read(TestFile(v))),
            File.Exists(meta) ? System.Text.Encoding.UTF8.GetString(DataFiles.ReadAll(meta)) : null, folder);
    }

    /// <summary>Loads from the official archive (cifar-10-binary.tar.gz or cifar-100-binary.tar.gz).</summary>
    public static ImageDataset LoadArchive(string archive, CifarVariant v, string name)
    {
        var wanted = TrainFiles(v).Append(TestFile(v)).Append(MetaFile(v)).ToHashSet();
        var found = new Dictionary<string, byte[]>();
        try
        {
            using var file = File.OpenRead(archive);
            using var gz = new GZipStream(file, CompressionMode.Decompress);
            using var tar = new TarReader(gz);
            while (tar.GetNextEntry() is { } entry)
            {
                var leaf = Path.GetFileName(entry.Name);
                if (!wanted.Contains(leaf) || entry.DataStream is null) continue;
                using var memory = new MemoryStream();
                entry.DataStream.CopyTo(memory);
                found[leaf] = memory.ToArray();
            }
        }
        // a damaged gzip stream or tar header surfaces as any of these, depending on where the damage sits
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or ArgumentException or OverflowException or InvalidOperationException)
        {
            throw new ShatterException($"{archive} is not a valid .tar.gz archive ({DataFiles.Reason(e)}); the download is probably damaged: replace it with a fresh copy.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ShatterException($"{archive} could not be read ({DataFiles.Reason(e)}); check that it exists and is readable.", e);
        }
        var missing = TrainFiles(v).Append(TestFile(v)).Where(f => !found.ContainsKey(f)).ToList();
        if (missing.Count > 0)
            throw new ShatterException($"{archive} lacks {string.Join(", ", missing)}; it is not the {(v == CifarVariant.Cifar10 ? "CIFAR-10" : "CIFAR-100")} binary-version archive (use the 'binary version' download, not the Python or MATLAB one).");
        return Build(name, v, TrainFiles(v).Select(f => ($"{archive}:{f}", found[f])).ToList(),
            ($"{archive}:{TestFile(v)}", found[TestFile(v)]),
            found.TryGetValue(MetaFile(v), out var m) ? System.Text.Encoding.UTF8.GetString(m) : null, archive);
    }

    static ImageDataset Build(string name, CifarVariant v, List<(string Path, byte[] Bytes)> train, (string Path, byte[] Bytes) test, string? meta, string source)
    {
        int classes = Classes(v);
        var names = meta?.Split('\n').Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
        if (names is null || names.Count != classes)
            names = v == CifarVariant.Cifar10 ? [.. Cifar10Names] : Enumerable.Range(0, classes).Select(i => $"class {i}").ToList();
        var trainSplit = ReadRecords(train, v);
        try
        {
            return new ImageDataset(name, trainSplit, ReadRecords([test], v), names) { Source = source };
        }
        catch
        {
            trainSplit.Dispose();
            throw;
        }
    }

    /// <summary>Parses whole records from the given files, in order, into one split.</summary>
    public static ImageSplit ReadRecords(IReadOnlyList<(string Path, byte[] Bytes)> files, CifarVariant v)
    {
        int labelBytes = v == CifarVariant.Cifar10 ? 1 : 2;
        int labelAt = v == CifarVariant.Cifar100 ? 1 : 0; // CIFAR-100: <coarse><fine><pixels>
        int record = labelBytes + Pixels, classes = Classes(v);
        long total = 0;
        foreach (var (path, bytes) in files)
        {
            if (bytes.Length == 0 || bytes.Length % record != 0)
                throw new ShatterException($"{path} has {bytes.Length} bytes, not a whole number of {record}-byte {(v == CifarVariant.Cifar10 ? "CIFAR-10" : "CIFAR-100")} records; the file is truncated or is not a CIFAR binary file.");
            total += bytes.Length / record;
        }
        // (total, 3, 32, 32): each record's 3072 pixel bytes are already channel-planar, so they copy as one block
        var images = empty([total, 3, 32, 32], ScalarType.Byte);
        using var storage = images.data<byte>();
        var labels = new long[total];
        int n = 0;
        foreach (var (path, bytes) in files)
        {
            for (int r = 0; r < bytes.Length / record; r++, n++)
            {
                int at = r * record;
                byte label = bytes[at + labelAt];
                if (label >= classes)
                {
                    images.Dispose();
                    throw new ShatterException($"{path} has label {label} in record {r}, outside 0..{classes - 1}; the file is damaged or belongs to another CIFAR.");
                }
                labels[n] = label;
                storage.CopyFrom(bytes.AsSpan(at + labelBytes, Pixels), 0, (long)n * Pixels);
            }
        }
        return new ImageSplit(images, tensor(labels, [total]));
    }
}
