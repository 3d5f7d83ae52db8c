using Shatter.Data;
using static TorchSharp.torch;

namespace Shatter.Tests.Data;

public sealed class IdxFormatTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Pixels_and_labels_land_where_the_file_puts_them(bool gz)
    {
        using var t = new TempFolder();
        TestFiles.WriteIdxSet(t.Path, train: 12, test: 5, gz);
        using var data = DatasetCatalog.Load("mnist", t.Path);

        Assert.Equal((1, 28, 28), data.ImageShape);
        Assert.Equal(ScalarType.Byte, data.Train.Images.dtype);
        Assert.Equal(ScalarType.Int64, data.Train.Labels.dtype);
        Assert.Equal([12L, 1, 28, 28], data.Train.Images.shape);
        Assert.Equal([5L, 1, 28, 28], data.Test.Images.shape);
        var train = data.Train.Images.data<byte>().ToArray();
        var test = data.Test.Images.data<byte>().ToArray();
        for (int n = 0; n < 12; n++)
            for (int y = 0; y < 28; y++)
                for (int x = 0; x < 28; x++)
                    Assert.Equal(TestFiles.Pixel(n, 0, y, x), train[(n * 28 + y) * 28 + x]);
        Assert.Equal(TestFiles.Pixel(TestFiles.TestOffset + 3, 0, 17, 4), test[(3 * 28 + 17) * 28 + 4]);
        Assert.Equal(Enumerable.Range(0, 12).Select(n => (long)TestFiles.MnistLabel(n)), data.Train.Labels.data<long>().ToArray());
        Assert.Equal(Enumerable.Range(TestFiles.TestOffset, 5).Select(n => (long)TestFiles.MnistLabel(n)), data.Test.Labels.data<long>().ToArray());
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], data.ClassNames);
    }

    [Fact]
    public void Images_need_not_be_square()
    {
        using var t = new TempFolder();
        var path = t["x-images-idx3-ubyte"];
        File.WriteAllBytes(path, TestFiles.IdxImages(2, h: 3, w: 5));
        using var images = IdxFormat.ReadImages(path);
        Assert.Equal([2L, 1, 3, 5], images.shape);
        Assert.Equal(TestFiles.Pixel(1, 0, 2, 4), images[1, 0, 2, 4].item<byte>());
    }

    [Fact]
    public void Files_in_the_datasets_usual_subfolder_are_found()
    {
        using var t = new TempFolder();
        TestFiles.WriteIdxSet(t["fashion-mnist"], train: 3, test: 2, gz: true);
        using var data = DatasetCatalog.Load("fashion-mnist", t.Path);
        Assert.Equal(3, data.Train.Count);
        Assert.Equal("Ankle boot", data.ClassNames[9]);
    }

    [Fact]
    public void The_dotted_file_names_of_some_mirrors_are_found_plain_or_gzipped()
    {
        using var t = new TempFolder();
        TestFiles.WriteIdxSet(t.Path, train: 4, test: 3, gz: true);
        foreach (var name in TestFiles.IdxNames)
            File.Move(t[name + ".gz"], t[name.Replace("-idx", ".idx") + ".gz"]);
        using var data = DatasetCatalog.Load("mnist", t.Path);
        Assert.Equal(4, data.Train.Count);
        Assert.Equal(3, data.Test.Count);
    }

    [Fact]
    public void A_label_equal_to_the_class_count_is_rejected_with_its_index()
    {
        using var t = new TempFolder();
        var path = t["l-labels-idx1-ubyte"];
        File.WriteAllBytes(path, TestFiles.Idx([4], [0, 9, 3, 10]));
        var e = Assert.Throws<ShatterException>(() => IdxFormat.ReadLabels(path, classes: 10));
        Assert.Contains($"{path} has label 10 at index 3, outside 0..9", e.Message);
    }
}
