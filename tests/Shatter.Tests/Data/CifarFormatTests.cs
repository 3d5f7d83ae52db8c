using Shatter.Data;
using static TorchSharp.torch;

namespace Shatter.Tests.Data;

public sealed class CifarFormatTests
{
    /// <summary>Every pixel of the split equals the one the writer put at [n, c, y, x] (CIFAR stores whole colour planes).</summary>
    static void AssertPixels(Tensor images, int first)
    {
        var bytes = images.data<byte>().ToArray();
        for (int n = 0; n < images.shape[0]; n++)
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < 32; y++)
                    for (int x = 0; x < 32; x++)
                        if (bytes[((n * 3 + c) * 32 + y) * 32 + x] != TestFiles.Pixel(first + n, c, y, x))
                            Assert.Fail($"pixel [{n}, {c}, {y}, {x}] is {bytes[((n * 3 + c) * 32 + y) * 32 + x]}, the file holds {TestFiles.Pixel(first + n, c, y, x)}");
    }

    [Fact]
    public void Cifar10_folder_keeps_the_channel_planar_layout_and_every_label()
    {
        using var t = new TempFolder();
        TestFiles.WriteCifar10Folder(t.Path, [1, 2, 3, 4, 5], test: 3);
        using var data = DatasetCatalog.Load("cifar10", t.Path);

        Assert.Equal((3, 32, 32), data.ImageShape);
        Assert.Equal(15, data.Train.Count);
        Assert.Equal(3, data.Test.Count);
        AssertPixels(data.Train.Images, 0);
        AssertPixels(data.Test.Images, TestFiles.TestOffset);
        // a value the red, green and blue planes hold at one location of record 7 (batch 4, its second record)
        Assert.Equal(TestFiles.Pixel(7, 2, 5, 30), data.Train.Images[7, 2, 5, 30].item<byte>());
        Assert.Equal(Enumerable.Range(0, 15).Select(n => (long)TestFiles.Cifar10Label(n)), data.Train.Labels.data<long>().ToArray());
        Assert.Equal(Enumerable.Range(TestFiles.TestOffset, 3).Select(n => (long)TestFiles.Cifar10Label(n)), data.Test.Labels.data<long>().ToArray());
        Assert.Equal(TestFiles.Cifar10Classes, data.ClassNames);
    }

    [Fact]
    public void Batches_may_hold_any_number_of_whole_records()
    {
        using var t = new TempFolder();
        TestFiles.WriteCifar10Folder(t.Path, [7, 1, 2, 11, 3], test: 9);
        using var data = DatasetCatalog.Load("cifar10", t.Path);
        Assert.Equal(24, data.Train.Count);
        Assert.Equal(9, data.Test.Count);
        AssertPixels(data.Train.Images, 0);
    }

    [Fact]
    public void Without_batches_meta_the_standard_cifar10_names_are_used()
    {
        using var t = new TempFolder();
        TestFiles.WriteCifar10Folder(t.Path, meta: false);
        using var data = DatasetCatalog.Load("cifar10", t.Path);
        Assert.Equal(CifarFormat.Cifar10Names, data.ClassNames);
    }

    [Fact]
    public void Cifar10_archive_loads_the_same_dataset_as_the_folder()
    {
        using var t = new TempFolder();
        var files = TestFiles.Cifar10Files([2, 3, 1, 1, 4], 5);
        TestFiles.WriteAll(t["folder"], files);
        TestFiles.WriteTarGz(t["cifar-10-binary.tar.gz"], "cifar-10-batches-bin", files);

        using var folder = DatasetCatalog.Load("cifar10", t["folder"]);
        using var direct = DatasetCatalog.Load("cifar10", t["cifar-10-binary.tar.gz"]); // --data-dir the archive itself
        using var beside = DatasetCatalog.Load("cifar10", t.Path);                        // the archive inside --data-dir
        foreach (var archive in new[] { direct, beside })
        {
            Assert.True(Same.Tensors(folder.Train.Images, archive.Train.Images));
            Assert.True(Same.Tensors(folder.Train.Labels, archive.Train.Labels));
            Assert.True(Same.Tensors(folder.Test.Images, archive.Test.Images));
            Assert.True(Same.Tensors(folder.Test.Labels, archive.Test.Labels));
            Assert.Equal(TestFiles.Cifar10Classes, archive.ClassNames);
        }
        Assert.Equal(11, direct.Train.Count);
    }

    [Fact]
    public void Cifar10_in_its_official_subfolder_is_found()
    {
        using var t = new TempFolder();
        TestFiles.WriteCifar10Folder(t["cifar-10-batches-bin"]);
        using var data = DatasetCatalog.Load("cifar10", t.Path);
        Assert.Equal(15, data.Train.Count);
    }

    [Fact]
    public void Cifar100_reads_the_fine_label_byte_and_cifar100_coarse_the_coarse_one()
    {
        using var t = new TempFolder();
        TestFiles.WriteCifar100Folder(t.Path, train: 30, test: 4);
        using var fine = DatasetCatalog.Load("cifar100", t.Path);
        using var coarse = DatasetCatalog.Load("cifar100-coarse", t.Path);

        Assert.Equal(100, fine.Classes);
        Assert.Equal(20, coarse.Classes);
        Assert.Equal(Enumerable.Range(0, 30).Select(n => (long)TestFiles.Cifar100Fine(n)), fine.Train.Labels.data<long>().ToArray());
        Assert.Equal(Enumerable.Range(0, 30).Select(n => (long)TestFiles.Cifar100Coarse(n)), coarse.Train.Labels.data<long>().ToArray());
        Assert.Equal(Enumerable.Range(TestFiles.TestOffset, 4).Select(n => (long)TestFiles.Cifar100Fine(n)), fine.Test.Labels.data<long>().ToArray());
        Assert.Equal("fine42", fine.ClassNames[42]);
        Assert.Equal("coarse7", coarse.ClassNames[7]);
        AssertPixels(fine.Train.Images, 0); // two label bytes skipped, not one
        AssertPixels(coarse.Test.Images, TestFiles.TestOffset);
    }

    [Fact]
    public void Cifar100_archive_with_its_official_folder_name_loads()
    {
        using var t = new TempFolder();
        TestFiles.WriteTarGz(t["cifar-100-binary.tar.gz"], "cifar-100-binary", TestFiles.Cifar100Files(6, 2));
        using var data = DatasetCatalog.Load("cifar100", t.Path);
        Assert.Equal(6, data.Train.Count);
        Assert.Equal(2, data.Test.Count);
        Assert.Equal("fine99", data.ClassNames[99]);
        AssertPixels(data.Train.Images, 0);
    }
}
