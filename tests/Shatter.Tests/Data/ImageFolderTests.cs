using Shatter.Data;
using SkiaSharp;
using static TorchSharp.torch;

namespace Shatter.Tests.Data;

public sealed class ImageFolderTests
{
    static readonly string[] Classes = ["cat", "dog", "emu"];

    /// <summary>PATH/train/&lt;class&gt;/i.png (4 per class) and PATH/test/&lt;class&gt;/i.png (2 per class), image n = 10·class + i.</summary>
    static void TrainTestTree(string root, int channels, int h = 5, int w = 6)
    {
        for (int k = 0; k < Classes.Length; k++)
        {
            for (int i = 0; i < 4; i++) ImageFiles.Write(Path.Combine(root, "train", Classes[k], $"{i}.png"), 10 * k + i, channels, h, w);
            for (int i = 0; i < 2; i++) ImageFiles.Write(Path.Combine(root, "test", Classes[k], $"{i}.png"), 100 + 10 * k + i, channels, h, w);
        }
    }

    static ImageFolderLoad Load(string root, ImageFolderOptions? options = null, TempFolder? cache = null) =>
        ImageFolder.Load(root, (options ?? new ImageFolderOptions()) with { CacheFolder = cache?.Path ?? options?.CacheFolder });

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void A_train_test_tree_loads_every_pixel_at_its_place_with_sorted_class_labels(int channels)
    {
        using var t = new TempFolder();
        using var cache = new TempFolder();
        TrainTestTree(t["data"], channels);
        var load = Load(t["data"], cache: cache);
        using var ds = load.Dataset;
        Assert.Equal(Classes, ds.ClassNames);
        Assert.Equal([12L, channels, 5, 6], ds.Train.Images.shape);
        Assert.Equal([6L, channels, 5, 6], ds.Test.Images.shape);
        Assert.Equal([0L, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2], ds.Train.Labels.data<long>().ToArray());
        Assert.Equal([0L, 0, 1, 1, 2, 2], ds.Test.Labels.data<long>().ToArray());
        // training image 5 is dog/1.png (n = 11); test image 3 is dog/1.png of test (n = 111)
        foreach (var (split, index, n) in new[] { (ds.Train, 5, 11), (ds.Test, 3, 111) })
            for (int c = 0; c < channels; c++)
                for (int y = 0; y < 5; y++)
                    for (int x = 0; x < 6; x++)
                        Assert.Equal(ImageFiles.Pixel(n, c, y, x), split.Images[index, c, y, x].item<byte>());
        Assert.Equal(18, load.DecodedFiles);
    }

    [Fact]
    public void A_tree_of_grey_and_colour_images_is_rgb_with_the_grey_value_in_all_three_channels()
    {
        using var t = new TempFolder();
        using var cache = new TempFolder();
        TrainTestTree(t["data"], 1);
        ImageFiles.Write(t["data/train/cat/9.png"], 77, 3, 5, 6);
        using var ds = Load(t["data"], cache: cache).Dataset;
        Assert.Equal(3, ds.ImageShape.Channels);
        using var grey = ds.Train.Images[0];                      // cat/0.png, stored grey
        for (int c = 0; c < 3; c++) Assert.Equal(ImageFiles.Pixel(0, 0, 2, 3), grey[c, 2, 3].item<byte>());
        Assert.Equal(ImageFiles.Pixel(77, 2, 4, 1), ds.Train.Images[4, 2, 4, 1].item<byte>()); // cat/9.png sorts after cat/3.png
    }

    [Fact]
    public void An_image_size_resizes_the_shorter_side_and_keeps_the_centre()
    {
        using var t = new TempFolder();
        using var cache = new TempFolder();
        // 20×10 images, red left of column 10, blue from it: resized to 16×8, the centre 8 columns are 4..11,
        // so the kept square is red on its left half and blue on its right
        foreach (var cls in new[] { "a", "b" })
            for (int i = 0; i < 2; i++)
                ImageFiles.Write(t[$"data/{cls}/{i}.png"], 3, 10, 20, (c, y, x) => (byte)(x < 10 ? (c == 0 ? 250 : 0) : (c == 2 ? 250 : 0)));
        using var ds = Load(t["data"], new ImageFolderOptions(ImageSize: 8, TestFraction: 0.5), cache).Dataset;
        Assert.Equal((3, 8, 8), ds.ImageShape);
        using var img = ds.Train.Images[0].to_type(ScalarType.Int32);
        Assert.InRange(img[0, 4, 0].item<int>(), 240, 255);      // red at the left
        Assert.InRange(img[2, 4, 0].item<int>(), 0, 10);
        Assert.InRange(img[2, 4, 7].item<int>(), 240, 255);      // blue at the right
        Assert.InRange(img[0, 4, 7].item<int>(), 0, 10);
    }

    [Fact]
    public void A_grey_jpeg_stays_one_channel_and_close_to_its_pixels()
    {
        using var t = new TempFolder();
        using var cache = new TempFolder();
        foreach (var cls in new[] { "a", "b" })
            for (int i = 0; i < 3; i++)
                ImageFiles.Write(t[$"data/{cls}/{i}.jpg"], 1, 8, 8, (_, y, x) => (byte)(100 + 5 * y + 3 * x), SKEncodedImageFormat.Jpeg);
        using var ds = Load(t["data"], new ImageFolderOptions(TestFraction: 0.34), cache).Dataset;
        Assert.Equal((1, 8, 8), ds.ImageShape);
        Assert.InRange(ds.Train.Images[0, 0, 4, 4].item<byte>(), 100 + 32 - 4, 100 + 32 + 4); // JPEG is lossy
    }

    [Fact]
    public void One_tree_is_split_per_class_by_the_seeded_fraction()
    {
        using var t = new TempFolder();
        using var cache = new TempFolder();
        for (int k = 0; k < 2; k++)
            for (int i = 0; i < 10; i++)
                ImageFiles.Write(t[$"data/c{k}/{i:D2}.png"], 10 * k + i, 1, 3, 3);
        ImageFolderLoad Split(long seed) => Load(t["data"], new ImageFolderOptions(TestFraction: 0.2, SplitSeed: seed), cache);
        using var a = Split(1).Dataset;
        using var again = Split(1).Dataset;
        using var b = Split(2).Dataset;
        Assert.Equal([8L, 8], a.Train.ClassCounts(2));
        Assert.Equal([2L, 2], a.Test.ClassCounts(2));
        Assert.True(Same.Tensors(a.Test.Images, again.Test.Images));
        Assert.False(Same.Tensors(a.Test.Images, b.Test.Images));
        // no image is in both sets: pixel (0, 0) is (37·n) mod 256, distinct for these n
        var train = a.Train.Images[.., 0, 0, 0].data<byte>().ToArray();
        Assert.Empty(a.Test.Images[.., 0, 0, 0].data<byte>().ToArray().Intersect(train));
    }

    [Fact]
    public void The_second_load_reads_the_cache_and_decodes_nothing_until_an_image_changes()
    {
        using var t = new TempFolder();
        TrainTestTree(t["data"], 3);
        var first = Load(t["data"]);                               // the default cache: beside the data
        using var ds1 = first.Dataset;
        Assert.Equal(18, first.DecodedFiles);
        Assert.Equal(Path.Combine(t["data"], ".shatter-cache"), Path.GetDirectoryName(first.CacheFile));
        var second = Load(t["data"]);
        using var ds2 = second.Dataset;
        Assert.Equal(0, second.DecodedFiles);
        Assert.Equal(first.CacheFile, second.CacheFile);
        Assert.True(Same.Tensors(ds1.Train.Images, ds2.Train.Images));
        Assert.True(Same.Tensors(ds1.Test.Labels, ds2.Test.Labels));
        Assert.Equal(ds1.ClassNames, ds2.ClassNames);

        // a changed image (new pixels, new time) is a new key: decoded again, and its new pixels are seen
        ImageFiles.Write(t["data/train/cat/0.png"], 3, 5, 6, (_, _, _) => 42);
        File.SetLastWriteTimeUtc(t["data/train/cat/0.png"], DateTime.UtcNow.AddMinutes(1));
        var third = Load(t["data"]);
        using var ds3 = third.Dataset;
        Assert.Equal(18, third.DecodedFiles);
        Assert.Equal(42, ds3.Train.Images[0, 1, 2, 2].item<byte>());
        // and another image size is another cache entry
        var resized = Load(t["data"], new ImageFolderOptions(ImageSize: 4));
        using var ds4 = resized.Dataset;
        Assert.Equal(18, resized.DecodedFiles);
        Assert.NotEqual(third.CacheFile, resized.CacheFile);
    }

    [Fact]
    public void A_damaged_cache_file_is_ignored_and_rewritten()
    {
        using var t = new TempFolder();
        using var cache = new TempFolder();
        TrainTestTree(t["data"], 1);
        var first = Load(t["data"], cache: cache);
        first.Dataset.Dispose();
        var bytes = File.ReadAllBytes(first.CacheFile!);
        File.WriteAllBytes(first.CacheFile!, bytes[..(bytes.Length / 2)]);
        var second = Load(t["data"], cache: cache);
        using var ds = second.Dataset;
        Assert.Equal(18, second.DecodedFiles);
        Assert.Equal(bytes.Length, new FileInfo(first.CacheFile!).Length);
    }

    public static TheoryData<string> BadTrees() => new(BadTree.Keys);

    /// <summary>Each bad tree, built under a folder, with what its one sentence must say.</summary>
    static readonly Dictionary<string, Func<string, (string Root, string Names, string Problem, int? Size)>> BadTree = new()
    {
        ["missing folder"] = r => (Path.Combine(r, "nowhere"), Path.Combine(r, "nowhere"), "does not exist", null),
        ["empty class"] = r => { TrainTestTree(r, 1); Directory.CreateDirectory(Path.Combine(r, "train", "fox")); return (r, Path.Combine(r, "train", "fox"), "holds no images", null); },
        ["unreadable image"] = r => { TrainTestTree(r, 1); File.WriteAllBytes(Path.Combine(r, "train", "dog", "2.png"), [1, 2, 3, 4, 5, 6, 7, 8]); return (r, Path.Combine(r, "train", "dog", "2.png"), "cannot be decoded", null); },
        ["truncated image"] = r =>
        {
            TrainTestTree(r, 3, 40, 40);
            var f = Path.Combine(r, "test", "emu", "1.png");
            var b = File.ReadAllBytes(f);
            File.WriteAllBytes(f, b[..(b.Length * 2 / 3)]);
            return (r, f, "damaged", null);
        },
        ["sizes differ"] = r => { TrainTestTree(r, 1); ImageFiles.Write(Path.Combine(r, "test", "cat", "7.png"), 1, 1, 9, 9); return (r, Path.Combine(r, "test", "cat", "7.png"), "--image-size", null); },
        ["one class"] = r => { ImageFiles.Write(Path.Combine(r, "only", "0.png"), 0, 1, 3, 3); return (r, r, "at least two", null); },
        ["train without test"] = r => { TrainTestTree(r, 1); Directory.Delete(Path.Combine(r, "test"), true); return (r, r, "no test/ folder", null); },
        ["test class unknown"] = r => { TrainTestTree(r, 1); ImageFiles.Write(Path.Combine(r, "test", "yak", "0.png"), 0, 1, 5, 6); return (r, "'yak'", "lacks", null); },
        ["loose image"] = r => { TrainTestTree(r, 1); ImageFiles.Write(Path.Combine(r, "train", "stray.png"), 0, 1, 5, 6); return (r, Path.Combine(r, "train", "stray.png"), "subfolder named for its class", null); },
        ["image size zero"] = r => { TrainTestTree(r, 1); return (r, "image size", "from 1 to", 0); },
    };

    [Theory]
    [MemberData(nameof(BadTrees))]
    public void Each_bad_tree_ends_in_one_sentence_naming_the_thing_and_the_fix(string name)
    {
        using var t = new TempFolder();
        using var cache = new TempFolder();
        var (root, names, problem, size) = BadTree[name](t["data"]);
        var e = Assert.Throws<ShatterException>(() => Load(root, new ImageFolderOptions(ImageSize: size), cache).Dataset.Dispose());
        Assert.Contains(names, e.Message);
        Assert.Contains(problem, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.EndsWith(".", e.Message);
        Assert.Empty(Directory.EnumerateFiles(cache.Path));         // nothing half-written
    }
}
