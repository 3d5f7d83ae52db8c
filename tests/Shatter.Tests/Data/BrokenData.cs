namespace Shatter.Tests.Data;

/// <summary>
/// Every bad-input case of the dataset loaders, each built in a temporary folder: the dataset name and
/// --data-dir to load, and what the one-sentence error must name (the file) and say (the problem).
/// Shared by the loader tests and the CLI tests so both see the same damage.
/// </summary>
public static class BrokenData
{
    public sealed record Case(string Dataset, string DataDir, string Names, string Problem)
    {
        // An empty expectation is contained in every message and would prove nothing.
        public string Problem { get; } = Problem.Length > 0 ? Problem : throw new ArgumentException("a broken-data case must name the problem its message states", nameof(Problem));
        public string Names { get; } = Names.Length > 0 ? Names : throw new ArgumentException("a broken-data case must name the file its message names", nameof(Names));
    }

    public static readonly IReadOnlyDictionary<string, Func<TempFolder, Case>> Cases = new Dictionary<string, Func<TempFolder, Case>>
    {
        ["idx-wrong-magic"] = t => Idx(t, "train-images-idx3-ubyte", b => { b[2] = 0x0C; return b; }, "magic number"),
        ["idx-labels-file-with-images-magic"] = t => Idx(t, "t10k-labels-idx1-ubyte", _ => TestFiles.IdxImages(2), "magic number"),
        ["idx-truncated"] = t => Idx(t, "train-images-idx3-ubyte", b => b[..^100], "truncated"),
        ["idx-header-declares-too-many-images"] = t => Idx(t, "train-images-idx3-ubyte", b => { b.AsSpan(4, 12).Fill(0xFF); return b; }, "truncated"),
        ["idx-shorter-than-its-header"] = t => Idx(t, "train-labels-idx1-ubyte", b => b[..5], "too short"),
        ["idx-trailing-bytes"] = t => Idx(t, "t10k-images-idx3-ubyte", b => [.. b, 1, 2, 3], "beyond"),
        ["idx-counts-disagree"] = t => Idx(t, "train-labels-idx1-ubyte", _ => TestFiles.IdxLabels(5), "5 labels"),
        ["idx-label-out-of-range"] = t => Idx(t, "train-labels-idx1-ubyte", b => { b[^2] = 10; return b; }, "label 10"),
        ["idx-corrupt-gzip"] = t => Idx(t, "train-images-idx3-ubyte.gz", _ => Noise(5000), "gzip", gz: true),
        ["idx-truncated-gzip"] = t => Idx(t, "t10k-images-idx3-ubyte.gz", b => b[..(b.Length / 2)], "truncated", gz: true),
        ["idx-some-files-missing"] = t => IdxMissing(t),
        ["cifar10-record-cut-short"] = t => Cifar(t, "data_batch_3.bin", b => b[..^1], "whole number"),
        ["cifar10-empty-file"] = t => Cifar(t, "test_batch.bin", _ => [], "0 bytes"),
        ["cifar10-label-out-of-range"] = t => Cifar(t, "data_batch_2.bin", b => { b[3073] = 10; return b; }, "label 10"),
        ["cifar100-fine-label-out-of-range"] = t => Cifar100FineLabel(t),
        ["cifar10-archive-not-gzip"] = t => Archive(t, _ => Noise(4000), "not a valid .tar.gz"),
        ["cifar10-archive-truncated"] = t => Archive(t, b => b[..(b.Length / 2)], "not a valid .tar.gz"),
        ["cifar10-archive-gzip-of-garbage"] = t => Archive(t, _ => TestFiles.Gzip(Noise(20000)), "not a valid .tar.gz"),
        ["cifar10-archive-missing-files"] = t => ArchiveMissing(t),
        ["cifar10-folder-with-only-some-files"] = t => CifarPartial(t),
        ["unknown-dataset"] = t => new Case("imagenet", t.Path, "imagenet", "unknown dataset"),
        ["missing-folder"] = t => new Case("cifar10", t["no-such-folder"], t["no-such-folder"], "does not exist"),
        ["empty-folder"] = t => new Case("cifar10", t.Path, "data_batch_1.bin", "not found"),
    };

    public static TheoryData<string> Names() => [.. Cases.Keys];

    /// <summary>A valid MNIST-style set (6 train, 4 test images) with one file replaced by <paramref name="damage"/> of its bytes.</summary>
    static Case Idx(TempFolder t, string file, Func<byte[], byte[]> damage, string problem, bool gz = false)
    {
        TestFiles.WriteIdxSet(t.Path, train: 6, test: 4, gz);
        var path = t[file];
        File.WriteAllBytes(path, damage(File.ReadAllBytes(path)));
        return new Case("mnist", t.Path, file, problem);
    }

    static Case IdxMissing(TempFolder t)
    {
        TestFiles.WriteIdxSet(t.Path, train: 6, test: 4);
        File.Delete(t["t10k-labels-idx1-ubyte"]);
        return new Case("mnist", t.Path, "t10k-labels-idx1-ubyte", "missing");
    }

    static Case Cifar(TempFolder t, string file, Func<byte[], byte[]> damage, string problem)
    {
        TestFiles.WriteCifar10Folder(t.Path);
        var path = t[file];
        File.WriteAllBytes(path, damage(File.ReadAllBytes(path)));
        return new Case("cifar10", t.Path, file, problem);
    }

    static Case Cifar100FineLabel(TempFolder t)
    {
        TestFiles.WriteCifar100Folder(t.Path);
        var bytes = File.ReadAllBytes(t["train.bin"]);
        bytes[1] = 100; // record 0: <coarse><fine>
        File.WriteAllBytes(t["train.bin"], bytes);
        return new Case("cifar100", t.Path, "train.bin", "label 100");
    }

    static Case Archive(TempFolder t, Func<byte[], byte[]> damage, string problem)
    {
        var path = t["cifar-10-binary.tar.gz"];
        TestFiles.WriteTarGz(path, "cifar-10-batches-bin", TestFiles.Cifar10Files([30, 30, 30, 30, 30], 30));
        File.WriteAllBytes(path, damage(File.ReadAllBytes(path)));
        return new Case("cifar10", t.Path, "cifar-10-binary.tar.gz", problem);
    }

    static Case ArchiveMissing(TempFolder t)
    {
        var path = t["cifar-10-binary.tar.gz"];
        TestFiles.WriteTarGz(path, "cifar-10-batches-bin", TestFiles.Cifar10Files([1, 1, 1, 1, 1], 1).Where(f => f.Name != "data_batch_5.bin"));
        return new Case("cifar10", path, "data_batch_5.bin", "lacks");
    }

    static Case CifarPartial(TempFolder t)
    {
        TestFiles.WriteCifar10Folder(t.Path);
        File.Delete(t["data_batch_4.bin"]);
        File.Delete(t["test_batch.bin"]);
        return new Case("cifar10", t.Path, "data_batch_4.bin, test_batch.bin", "only some");
    }

    /// <summary>Bytes that are neither gzip nor tar (a fixed seed, so every run sees the same damage).</summary>
    static byte[] Noise(int length)
    {
        var bytes = new byte[length];
        new Random(7).NextBytes(bytes);
        return bytes;
    }
}
