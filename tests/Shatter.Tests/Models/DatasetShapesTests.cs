using Shatter.Data;
using Shatter.Models;

namespace Shatter.Tests.Models;

public sealed class DatasetShapesTests
{
    [Fact]
    public void Every_catalog_dataset_has_a_known_shape()
    {
        Assert.Equal(DatasetCatalog.Names.OrderBy(n => n), DatasetShapes.Stored.Keys.OrderBy(n => n));
    }

    [Theory]
    [InlineData("cifar10", null, 3, 28, 10)]     // paper: centre crop to 28
    [InlineData("cifar10", 0, 3, 32, 10)]        // --crop 0: uncropped
    [InlineData("cifar100", 24, 3, 24, 100)]
    [InlineData("cifar100-coarse", null, 3, 28, 20)]
    [InlineData("fashion-mnist", null, 1, 28, 10)]
    [InlineData("MNIST", 20, 1, 20, 10)]
    public void Input_shape_applies_the_crop(string dataset, int? crop, int channels, int side, int classes)
    {
        var (input, k) = DatasetShapes.InputShape(dataset, crop);
        Assert.Equal((channels, side, side), input);
        Assert.Equal(classes, k);
    }

    [Fact]
    public void A_crop_larger_than_the_image_or_an_unknown_dataset_is_an_error()
    {
        Assert.Contains("crop 33", Assert.Throws<ShatterException>(() => DatasetShapes.InputShape("cifar10", 33)).Message);
        Assert.Contains("imagenet", Assert.Throws<ShatterException>(() => DatasetShapes.InputShape("imagenet")).Message);
    }
}
