using System.Formats.Tar;
using System.IO.Compression;

namespace Shatter.Tests.Data;

/// <summary>
/// Writes small files in each real dataset format (IDX plain and .gz, CIFAR-10/100 binary batches, the
/// official .tar.gz archives) whose every pixel and label is a known function of its position, so a test
/// can check that a value lands at exactly [n, c, y, x].
/// </summary>
public static class TestFiles
{
    /// <summary>The pixel of image n (counted over its split, test images from <see cref="TestOffset"/>) at channel c, row y, column x.</summary>
    public static byte Pixel(int n, int c, int y, int x) => (byte)((n * 31 + c * 101 + y * 7 + x * 13) % 256);

    /// <summary>Test images are numbered from here, so that train and test never hold the same image.</summary>
    public const int TestOffset = 1000;

    public static byte MnistLabel(int n) => (byte)(n % 10);
    public static byte Cifar10Label(int n) => (byte)(n % 10);
    public static byte Cifar100Coarse(int n) => (byte)(n % 20);
    /// <summary>Differs from the coarse label for most n, so a test can tell which byte was read.</summary>
    public static byte Cifar100Fine(int n) => (byte)((n * 37 + 3) % 100);

    public static readonly string[] IdxNames = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    public static readonly string[] Cifar10Classes = ["plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    // ---- IDX ---------------------------------------------------------------------------------

    /// <summary>An IDX file: magic 0x000008 then the dimension count, big-endian sizes, then the values.</summary>
    public static byte[] Idx(int[] dims, byte[] values)
    {
        var bytes = new byte[4 + 4 * dims.Length + values.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)dims.Length;
        for (int d = 0; d < dims.Length; d++)
        {
            bytes[4 + 4 * d] = (byte)(dims[d] >> 24);
            bytes[5 + 4 * d] = (byte)(dims[d] >> 16);
            bytes[6 + 4 * d] = (byte)(dims[d] >> 8);
            bytes[7 + 4 * d] = (byte)dims[d];
        }
        values.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    /// <summary>An IDX images file of n images h×w, numbered from <paramref name="first"/>.</summary>
    public static byte[] IdxImages(int n, int h = 28, int w = 28, int first = 0)
    {
        var values = new byte[n * h * w];
        for (int i = 0; i < n; i++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    values[(i * h + y) * w + x] = Pixel(first + i, 0, y, x);
        return Idx([n, h, w], values);
    }

    public static byte[] IdxLabels(int n, int first = 0) =>
        Idx([n], Enumerable.Range(first, n).Select(MnistLabel).ToArray());

    /// <summary>Writes the four MNIST-style files (plain or .gz) into <paramref name="folder"/>.</summary>
    public static void WriteIdxSet(string folder, int train, int test, bool gz = false, int h = 28, int w = 28)
    {
        Directory.CreateDirectory(folder);
        var files = new[] { IdxImages(train, h, w), IdxLabels(train), IdxImages(test, h, w, TestOffset), IdxLabels(test, TestOffset) };
        for (int i = 0; i < 4; i++) WriteFile(Path.Combine(folder, IdxNames[i] + (gz ? ".gz" : "")), files[i], gz);
    }

    // ---- CIFAR -------------------------------------------------------------------------------

    /// <summary>
    /// count CIFAR records numbered from <paramref name="first"/>: label byte(s) (CIFAR-100: coarse then
    /// fine), then 1024 red, 1024 green, 1024 blue values, each plane row-major 32×32.
    /// </summary>
    public static byte[] CifarRecords(int first, int count, bool cifar100)
    {
        int labelBytes = cifar100 ? 2 : 1, record = labelBytes + 3072;
        var bytes = new byte[count * record];
        for (int r = 0; r < count; r++)
        {
            int n = first + r, at = r * record;
            if (cifar100)
            {
                bytes[at] = Cifar100Coarse(n);
                bytes[at + 1] = Cifar100Fine(n);
            }
            else bytes[at] = Cifar10Label(n);
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < 32; y++)
                    for (int x = 0; x < 32; x++)
                        bytes[at + labelBytes + c * 1024 + y * 32 + x] = Pixel(n, c, y, x);
        }
        return bytes;
    }

    /// <summary>The CIFAR-10 files (name, bytes): one data_batch per entry of <paramref name="trainCounts"/>, test_batch, batches.meta.txt.</summary>
    public static List<(string Name, byte[] Bytes)> Cifar10Files(int[] trainCounts, int test, bool meta = true)
    {
        var files = new List<(string, byte[])>();
        int first = 0;
        for (int b = 0; b < trainCounts.Length; b++)
        {
            files.Add(($"data_batch_{b + 1}.bin", CifarRecords(first, trainCounts[b], cifar100: false)));
            first += trainCounts[b];
        }
        files.Add(("test_batch.bin", CifarRecords(TestOffset, test, cifar100: false)));
        // the official file ends with blank lines
        if (meta) files.Add(("batches.meta.txt", System.Text.Encoding.UTF8.GetBytes(string.Join("\n", Cifar10Classes) + "\n\n")));
        return files;
    }

    public static List<(string Name, byte[] Bytes)> Cifar100Files(int train, int test, bool meta = true)
    {
        var files = new List<(string, byte[])>
        {
            ("train.bin", CifarRecords(0, train, cifar100: true)),
            ("test.bin", CifarRecords(TestOffset, test, cifar100: true)),
        };
        if (meta)
        {
            files.Add(("fine_label_names.txt", Lines(Enumerable.Range(0, 100).Select(i => $"fine{i}"))));
            files.Add(("coarse_label_names.txt", Lines(Enumerable.Range(0, 20).Select(i => $"coarse{i}"))));
        }
        return files;
    }

    /// <summary>Writes a CIFAR-10 folder; by default 5 train batches of 1..5 records and 3 test records.</summary>
    public static void WriteCifar10Folder(string folder, int[]? trainCounts = null, int test = 3, bool meta = true) =>
        WriteAll(folder, Cifar10Files(trainCounts ?? [1, 2, 3, 4, 5], test, meta));

    public static void WriteCifar100Folder(string folder, int train = 7, int test = 4, bool meta = true) =>
        WriteAll(folder, Cifar100Files(train, test, meta));

    /// <summary>The official archive layout: a .tar.gz with every file under <paramref name="top"/>/ (cifar-10-batches-bin or cifar-100-binary).</summary>
    public static void WriteTarGz(string path, string top, IEnumerable<(string Name, byte[] Bytes)> files)
    {
        using var file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new TarWriter(gz, TarEntryFormat.Ustar);
        tar.WriteEntry(new UstarTarEntry(TarEntryType.Directory, top + "/"));
        foreach (var (name, bytes) in files)
            tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, $"{top}/{name}") { DataStream = new MemoryStream(bytes) });
    }

    // ---- helpers -----------------------------------------------------------------------------

    public static byte[] Gzip(byte[] bytes)
    {
        using var memory = new MemoryStream();
        using (var gz = new GZipStream(memory, CompressionLevel.Fastest)) gz.Write(bytes);
        return memory.ToArray();
    }

    public static void WriteFile(string path, byte[] bytes, bool gz = false)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, gz ? Gzip(bytes) : bytes);
    }

    public static void WriteAll(string folder, IEnumerable<(string Name, byte[] Bytes)> files)
    {
        Directory.CreateDirectory(folder);
        foreach (var (name, bytes) in files) File.WriteAllBytes(Path.Combine(folder, name), bytes);
    }

    static byte[] Lines(IEnumerable<string> lines) => System.Text.Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");
}
