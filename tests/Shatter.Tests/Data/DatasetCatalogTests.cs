using System.Diagnostics;
using Shatter.Data;
using Xunit.Abstractions;

namespace Shatter.Tests.Data;

public sealed class DatasetCatalogTests(ITestOutputHelper output)
{
    const string FashionFolder = RealData.FashionFolder;

    [Fact]
    public void Real_fashion_mnist_has_60000_and_10000_images_balanced_over_10_classes()
    {
        RealData.RequireFashionMnist();
        var clock = Stopwatch.StartNew();
        using var data = DatasetCatalog.Load("fashion-mnist", FashionFolder);
        clock.Stop();
        output.WriteLine($"loaded the real Fashion-MNIST in {clock.Elapsed.TotalSeconds:F2} s"); // shown, never asserted: tests pin behaviour, not speed

        Assert.Equal(60_000, data.Train.Count);
        Assert.Equal(10_000, data.Test.Count);
        Assert.Equal((1, 28, 28), data.ImageShape);
        Assert.All(data.Train.ClassCounts(10), c => Assert.Equal(6_000, c));
        Assert.All(data.Test.ClassCounts(10), c => Assert.Equal(1_000, c));
        Assert.Equal("T-shirt/top", data.ClassNames[0]);
        var (mean, std) = Preprocessing.PixelStatistics(data.Train.Images);
        Assert.InRange(mean, 0.28, 0.29); // Fashion-MNIST's published mean 0.2860, std 0.3530
        Assert.InRange(std, 0.35, 0.36);
    }

    [Fact]
    public void Fashion_mnist_is_the_default_dataset_and_looked_for_in_the_system_folder_last()
    {
        Assert.Equal("fashion-mnist", DatasetCatalog.Default);
        var roots = DatasetCatalog.SearchRoots("fashion-mnist", dataDir: null);
        Assert.Equal(FashionFolder, roots[^1]);
    }

    [Fact]
    public void An_explicit_data_dir_is_the_only_place_searched()
    {
        Assert.Equal(["/somewhere"], DatasetCatalog.SearchRoots("cifar10", "/somewhere"));
    }

    [Fact]
    public void Missing_files_error_lists_the_expected_files_and_every_folder_searched()
    {
        using var t = new TempFolder();
        var e = Assert.Throws<ShatterException>(() => DatasetCatalog.Load("mnist", t.Path));
        foreach (var file in TestFiles.IdxNames) Assert.Contains(file, e.Message);
        Assert.Contains(t.Path, e.Message);
        Assert.Contains(Path.Combine(t.Path, "mnist"), e.Message);
    }

    [Fact]
    public void A_datasets_own_subfolder_wins_over_other_files_lying_in_the_data_folder()
    {
        using var t = new TempFolder();
        TestFiles.WriteIdxSet(t.Path, train: 3, test: 2);         // loose files (say, fashion-mnist's)
        TestFiles.WriteIdxSet(t["mnist"], train: 7, test: 2, gz: true);
        using var mnist = DatasetCatalog.Load("mnist", t.Path);
        using var fashion = DatasetCatalog.Load("fashion-mnist", t.Path);
        Assert.Equal(7, mnist.Train.Count);
        Assert.Equal(t["mnist"], mnist.Source);
        Assert.Equal(3, fashion.Train.Count);
        Assert.Equal(t.Path, fashion.Source);
    }

    [Fact]
    public void Dataset_names_are_case_insensitive()
    {
        using var t = new TempFolder();
        TestFiles.WriteCifar10Folder(t.Path);
        using var data = DatasetCatalog.Load("CIFAR10", t.Path);
        Assert.Equal("cifar10", data.Name);
    }
}

/// <summary>Tests that set SHATTER_DATA: environment variables are process-wide, so this collection runs alone.</summary>
[CollectionDefinition(nameof(EnvironmentCollection), DisableParallelization = true)]
public sealed class EnvironmentCollection;

[Collection(nameof(EnvironmentCollection))]
public sealed class ShatterDataEnvironmentTests
{
    [Fact]
    public void Shatter_data_is_searched_before_the_system_folder_and_used_by_load()
    {
        using var t = new TempFolder();
        TestFiles.WriteCifar10Folder(t["cifar-10-batches-bin"], [1, 1, 1, 1, 2], test: 2);
        var before = Environment.GetEnvironmentVariable(DatasetCatalog.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(DatasetCatalog.EnvironmentVariable, t.Path);
            Assert.Equal([t.Path, "/usr/share/datasets/cifar10"], DatasetCatalog.SearchRoots("cifar10", null));
            using var data = DatasetCatalog.Load("cifar10");
            Assert.Equal(6, data.Train.Count);
            // --data-dir still wins over SHATTER_DATA
            Assert.Equal(["/elsewhere"], DatasetCatalog.SearchRoots("cifar10", "/elsewhere"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(DatasetCatalog.EnvironmentVariable, before);
        }
    }
}
