using Shatter.Data;

namespace Shatter.Tests.Data;

/// <summary>
/// experiments/examples/user_data.py, which the README's "Your own model and data" runs first: the PNG folder and the
/// .npz it writes are read by Shatter (SkiaSharp's decoder, the .npy reader) as the same images and labels as the
/// Fashion-MNIST files they came from.
/// </summary>
public sealed class UserDataExampleTests
{
    static string Script() => Checkout.File("experiments", "examples", "user_data.py");

    /// <summary>(label name, pixels) of every image of a split, in a canonical order (the folder's order is by class folder).</summary>
    static List<string> Canonical(ImageSplit split, IReadOnlyList<string> names)
    {
        var pixels = split.Images.data<byte>().ToArray();
        var labels = split.Labels.data<long>().ToArray();
        int size = pixels.Length / labels.Length;
        return [.. Enumerable.Range(0, labels.Length)
            .Select(i => names[(int)labels[i]] + ":" + Convert.ToHexString(pixels, i * size, size))
            .Order(StringComparer.Ordinal)];
    }

    [Fact]
    public void The_examples_folder_and_arrays_hold_the_first_fashion_mnist_images_with_their_labels()
    {
        Python.Require("numpy", "python3-numpy");
        using var folder = new TempFolder();
        var said = Python.Run(folder.Path, File.ReadAllText(Script()), "--train", "30", "--test", "12", "--out", folder.Path);
        Assert.Contains("30 training and 12 test images", said);

        using var fashion = DatasetCatalog.Load("fashion-mnist");
        using var arrays = DatasetCatalog.Load("npz:" + Path.Combine(folder.Path, "user-arrays.npz"));
        using var images = DatasetCatalog.Load("folder:" + Path.Combine(folder.Path, "user-images"));

        // the arrays: the first 30 and 12 images in the files' order, labels as Fashion-MNIST's indices
        Assert.Equal(fashion.Train.Images[..30].data<byte>().ToArray(), arrays.Train.Images.data<byte>().ToArray());
        Assert.Equal(fashion.Test.Images[..12].data<byte>().ToArray(), arrays.Test.Images.data<byte>().ToArray());
        Assert.Equal(fashion.Train.Labels[..30].data<long>().ToArray(), arrays.Train.Labels.data<long>().ToArray());
        Assert.Equal(fashion.Test.Labels[..12].data<long>().ToArray(), arrays.Test.Labels.data<long>().ToArray());

        // the folder: grey 28×28 PNGs in class folders named as the script names Fashion-MNIST's classes, decoded to the same pixels
        Assert.Equal((1, 28, 28), images.ImageShape);
        string[] script = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot"];
        Assert.Equal(Canonical(arrays.Train, script), Canonical(images.Train, images.ClassNames));
        Assert.Equal(Canonical(arrays.Test, script), Canonical(images.Test, images.ClassNames));
    }
}
