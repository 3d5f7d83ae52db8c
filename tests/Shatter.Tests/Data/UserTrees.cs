namespace Shatter.Tests.Data;

/// <summary>The user's own datasets, small, for the tests that train on them: an image tree and an .npz archive.</summary>
public static class UserTrees
{
    public static readonly string[] Classes = ["ant", "bee", "cow"];

    /// <summary>
    /// PATH/&lt;class&gt;/i.png, <paramref name="perClass"/> RGB images of 12×10 per class (no train/ and test/: split by the
    /// seeded fraction), image n = 100·class + i with <see cref="ImageFiles.Pixel"/> values. Returns PATH.
    /// </summary>
    public static string ImageTree(string root, int perClass = 10)
    {
        for (int k = 0; k < Classes.Length; k++)
            for (int i = 0; i < perClass; i++)
                ImageFiles.Write(Path.Combine(root, Classes[k], $"{i:D2}.png"), 100 * k + i, 3, 12, 10);
        return root;
    }

    /// <summary>An .npz of grey uint8 images (N, 8, 8) and int64 labels i mod 3: <paramref name="train"/> and <paramref name="test"/> of them.</summary>
    public static string Npz(string path, int train = 30, int test = 12)
    {
        static byte[] Pixels(int n, int first) => [.. Enumerable.Range(0, n * 64).Select(i => ImageFiles.Pixel(first + i / 64, 0, i % 64 / 8, i % 8))];
        NpyFiles.Npz(path, new Dictionary<string, byte[]>
        {
            ["x_train"] = NpyFiles.Npy("|u1", [train, 8, 8], Pixels(train, 0)),
            ["y_train"] = NpyFiles.Npy("<i8", [train], NpyFiles.Longs(Enumerable.Range(0, train).Select(i => (long)(i % 3)))),
            ["x_test"] = NpyFiles.Npy("|u1", [test, 8, 8], Pixels(test, 1000)),
            ["y_test"] = NpyFiles.Npy("<i8", [test], NpyFiles.Longs(Enumerable.Range(0, test).Select(i => (long)(i % 3)))),
        });
        return path;
    }
}
