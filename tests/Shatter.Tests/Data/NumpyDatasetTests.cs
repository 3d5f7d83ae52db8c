using Shatter.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Tests.Data;

public sealed class NumpyDatasetTests(NumpyDatasetTests.Files files) : IClassFixture<NumpyDatasetTests.Files>
{
    /// <summary>Every archive of these tests, written by one run of the real NumPy.</summary>
    public sealed class Files : IDisposable
    {
        readonly TempFolder folder = new();

        public Files()
        {
            Python.Require("numpy", "python3-numpy");
            Python.Run(folder.Path, Writer);
            var bad = string.Join("\n", BadArrays().Select((row, i) => $"bad({i}, \"{row[0]}\")"));
            Python.Run(folder.Path, BadWriter + bad + "\n");
        }

        public string this[string name] => folder[name];

        public void Dispose() => folder.Dispose();
    }

    /// <summary>Writes bad-I.npz: the grey images and their labels, with the case's changes ("k=expr; k=expr" or "DROP=k").</summary>
    const string BadWriter = """
        import numpy as np
        def bad(i, change):
            a = dict(x_train=np.zeros((6, 5, 7), np.uint8), y_train=np.arange(6) % 3, x_test=np.zeros((4, 5, 7), np.uint8), y_test=np.arange(4) % 3)
            if change.startswith("DROP="): del a[change[5:]]
            else:
                for part in change.split(";"):
                    k, v = part.strip().split("=", 1)
                    a[k] = eval(v)
            np.savez(f"bad-{i}.npz", **a)

        """;

    /// <summary>
    /// Writes, with the real NumPy, one archive or folder per accepted layout; every image's pixel (n, c, y, x) is
    /// <see cref="ImageFiles.Pixel"/> (test images numbered from 100) and label n mod 3.
    /// </summary>
    const string Writer = """
        import sys, numpy as np
        N, M, H, W = 6, 4, 5, 7
        def pixels(first, count, c):
            n, ch, y, x = np.meshgrid(np.arange(first, first + count), np.arange(c), np.arange(H), np.arange(W), indexing="ij")
            return ((n * 37 + ch * 91 + y * 11 + x * 5) % 256).astype(np.uint8)   # (count, C, H, W)
        def labels(first, count): return np.arange(first, first + count) % 3
        g_tr, g_te = pixels(0, N, 1)[:, 0], pixels(100, M, 1)[:, 0]
        c_tr, c_te = pixels(0, N, 3), pixels(100, M, 3)
        np.savez("grey.npz", x_train=g_tr, y_train=labels(0, N), x_test=g_te, y_test=labels(100, M))
        np.savez_compressed("hwc.npz", x_train=c_tr.transpose(0, 2, 3, 1), y_train=labels(0, N).astype(np.int32)[:, None],
                            x_test=c_te.transpose(0, 2, 3, 1), y_test=labels(100, M).astype(np.int32)[:, None])
        np.savez("chw-float.npz", x_train=(c_tr / np.float32(255)).astype(np.float32), y_train=labels(0, N).astype(np.uint8),
                 x_test=(c_te / np.float32(255)).astype(np.float32), y_test=labels(100, M).astype(np.uint8))
        np.savez("fortran.npz", x_train=np.asfortranarray(g_tr), y_train=labels(0, N).astype(np.int16),
                 x_test=np.asfortranarray(g_te), y_test=labels(100, M).astype(np.uint16))
        import os; os.makedirs("folder", exist_ok=True)
        np.save("folder/x_train.npy", c_tr.transpose(0, 2, 3, 1).astype(np.float64) / 255)
        np.save("folder/y_train.npy", labels(0, N))
        np.save("folder/x_test.npy", c_te.transpose(0, 2, 3, 1).astype(np.float64) / 255)
        np.save("folder/y_test.npy", labels(100, M))
        print(np.__version__)
        """;

    /// <summary>The expected (count, c, H, W) uint8 images, computed here from the same formula.</summary>
    static Tensor Expected(int first, int count, int c)
    {
        using var scope = NewDisposeScope();
        using var one = 1L.ToScalar();
        var n = arange(first, first + count, 1, ScalarType.Int64).reshape(-1, 1, 1, 1);
        var ch = arange(0, c, 1, ScalarType.Int64).reshape(1, -1, 1, 1);
        var y = arange(0, 5, 1, ScalarType.Int64).reshape(1, 1, -1, 1);
        var x = arange(0, 7, 1, ScalarType.Int64).reshape(1, 1, 1, -1);
        var v = n * 37 + ch * 91 + y * 11 + x * 5;
        return v.remainder(256).to_type(ScalarType.Byte).MoveToOuterDisposeScope();
    }

    [Theory]
    [InlineData("grey.npz", 1)]
    [InlineData("hwc.npz", 3)]
    [InlineData("chw-float.npz", 3)]
    [InlineData("fortran.npz", 1)]
    [InlineData("folder", 3)]
    public void Numpy_written_arrays_load_as_uint8_nchw_images_and_int64_labels(string name, int channels)
    {
        using var ds = NumpyDataset.Load(files[name]);
        using var train = Expected(0, 6, channels);
        using var test = Expected(100, 4, channels);
        Assert.True(Same.Tensors(train, ds.Train.Images), $"{name}: training images differ");
        Assert.True(Same.Tensors(test, ds.Test.Images), $"{name}: test images differ");
        Assert.Equal([0L, 1, 2, 0, 1, 2], ds.Train.Labels.data<long>().ToArray());
        Assert.Equal([1L, 2, 0, 1], ds.Test.Labels.data<long>().ToArray());   // 100..103 mod 3
        Assert.Equal(["0", "1", "2"], ds.ClassNames);
        Assert.Equal("npz:" + files[name], ds.Name);
    }

    [Fact]
    public void An_npz_built_by_hand_from_the_format_description_loads()
    {
        using var t = new TempFolder();
        byte[] pixels = [.. Enumerable.Range(0, 3 * 2 * 2).Select(i => (byte)(i * 20))];
        NpyFiles.Npz(t["hand.npz"], new Dictionary<string, byte[]>
        {
            ["x_train"] = NpyFiles.Npy("|u1", [3, 2, 2], pixels),
            ["y_train"] = NpyFiles.Npy("<i8", [3], NpyFiles.Longs([1, 0, 1])),
            ["x_test"] = NpyFiles.Npy("|u1", [1, 2, 2], [9, 8, 7, 6]),
            ["y_test"] = NpyFiles.Npy("<i8", [1], NpyFiles.Longs([0])),
        });
        using var ds = NumpyDataset.Load(t["hand.npz"]);
        Assert.Equal([3L, 1, 2, 2], ds.Train.Images.shape);
        Assert.Equal(pixels, ds.Train.Images.data<byte>().ToArray());
        Assert.Equal([9, 8, 7, 6], ds.Test.Images.data<byte>().ToArray());
        Assert.Equal([1L, 0, 1], ds.Train.Labels.data<long>().ToArray());
    }

    [Fact]
    public void Unsigned_16_bit_labels_above_32767_keep_their_value()
    {
        using var t = new TempFolder();
        using var s = new MemoryStream(NpyFiles.Npy("<u2", [2], [0xFF, 0xFF, 0x01, 0x80]));
        using var y = NpyFormat.Read(s, s.Length, "y");
        Assert.Equal([65535, 32769], y.data<int>().ToArray());
    }

    /// <summary>Each bad archive: the change from a good one, what the sentence names and what it says.</summary>
    public static TheoryData<string, string, string> BadArrays() => new()
    {
        { "x_train=np.zeros((6, 5, 7, 5), np.uint8)", "x_train", "has shape (6, 5, 7, 5)" },
        { "x_train=np.zeros((6, 5), np.uint8)", "x_train", "has shape (6, 5)" },
        { "y_train=np.arange(6) / 2", "y_train", "must be integer class indices" },
        { "y_train=np.arange(5)", "y_train", "holds 5 labels but x_train holds 6 images" },
        { "y_train=np.zeros((6, 2), np.int64)", "y_train", "has shape (6, 2)" },
        { "y_train=np.arange(6) - 1", "y_train", "negative label -1" },
        { "x_train=np.full((6, 5, 7), 1.5, np.float32)", "x_train", "outside [0, 1]" },
        { "x_train=np.full((6, 5, 7), 300, np.int32)", "x_train", "pixels must be 0..255" },
        { "x_test=np.zeros((4, 5, 8), np.uint8)", "x_train", "but x_test holds (1, 5, 8)" },
        { "x_train=np.zeros((6, 5, 7), '>f4')", "x_train", "big-endian" },
        { "x_train=np.zeros((6, 5, 7), np.complex64)", "x_train", "'<c8'" },
        { "y_train=np.zeros(6, np.int64); y_test=np.zeros(4, np.int64)", ".npz", "1 class" },
        { "DROP=y_test", ".npz", "has no array y_test" },
    };

    [Theory]
    [MemberData(nameof(BadArrays))]
    public void Each_bad_array_ends_in_one_sentence_naming_the_array_and_the_fix(string change, string names, string problem)
    {
        var i = BadArrays().Select(row => (string)row[0]).ToList().IndexOf(change);
        AssertOneSentence(() => NumpyDataset.Load(files[$"bad-{i}.npz"]), names, problem);
    }

    [Fact]
    public void Damaged_or_misplaced_files_end_in_one_sentence()
    {
        using var t = new TempFolder();
        var good = NpyFiles.Npy("|u1", [2, 2, 2], new byte[8]);
        var labels = NpyFiles.Npy("<i8", [2], NpyFiles.Longs([0, 1]));
        NpyFiles.Npz(t["cut.npz"], new Dictionary<string, byte[]> { ["x_train"] = good[..^3], ["y_train"] = labels, ["x_test"] = good, ["y_test"] = labels });
        AssertOneSentence(() => NumpyDataset.Load(t["cut.npz"]), "x_train in " + t["cut.npz"], "truncated");
        NpyFiles.Npz(t["long.npz"], new Dictionary<string, byte[]> { ["x_train"] = good, ["y_train"] = labels, ["x_test"] = [.. good, 0], ["y_test"] = labels });
        AssertOneSentence(() => NumpyDataset.Load(t["long.npz"]), "x_test in " + t["long.npz"], "1 bytes beyond");
        NpyFiles.Npz(t["notnpy.npz"], new Dictionary<string, byte[]> { ["x_train"] = [1, 2, 3, 4, 5, 6, 7, 8, 9], ["y_train"] = labels, ["x_test"] = good, ["y_test"] = labels });
        AssertOneSentence(() => NumpyDataset.Load(t["notnpy.npz"]), "x_train in", "not a NumPy .npy array");
        File.WriteAllBytes(t["garbage.npz"], [.. Enumerable.Repeat((byte)7, 100)]);
        AssertOneSentence(() => NumpyDataset.Load(t["garbage.npz"]), t["garbage.npz"], "not a valid .npz");
        File.WriteAllBytes(t["one.npy"], good);
        AssertOneSentence(() => NumpyDataset.Load(t["one.npy"]), t["one.npy"], "is one .npy array");
        AssertOneSentence(() => NumpyDataset.Load(t["none.npz"]), t["none.npz"], "does not exist");
        Directory.CreateDirectory(t["dir"]);
        File.WriteAllBytes(t["dir/x_train.npy"], good);
        AssertOneSentence(() => NumpyDataset.Load(t["dir"]), t["dir"], "lacks y_train.npy, x_test.npy, y_test.npy");
    }

    static void AssertOneSentence(Func<ImageDataset> load, string names, string problem)
    {
        var e = Assert.Throws<ShatterException>(() => load().Dispose());
        Assert.Contains(names, e.Message);
        Assert.Contains(problem, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.EndsWith(".", e.Message);
    }
}
