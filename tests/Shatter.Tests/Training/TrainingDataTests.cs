using Shatter.Corruptions;
using Shatter.Data;
using Shatter.Training;
using static TorchSharp.torch;

namespace Shatter.Tests.Training;

/// <summary>
/// <see cref="TrainingData.PrepareImages"/>, the one image pipeline every run uses: /255 → centre crop → input
/// randomization → whitening, and with crop augmentation randomization before any crop.
/// </summary>
public sealed class TrainingDataTests
{
    /// <summary>(20, 1, 32, 32) uint8 images whose 2-pixel border is 255 and whose centre 28×28 is below 200.</summary>
    static Tensor Framed()
    {
        using var g = new Generator(5);
        var x = full([20, 1, 32, 32], 255, dtype: ScalarType.Byte);
        x.narrow(2, 2, 28).narrow(3, 2, 28).copy_(randint(0, 200, [20, 1, 28, 28], generator: g, dtype: ScalarType.Byte));
        return x;
    }

    static float[] SortedImage(Tensor x, int i) => [.. x[i].flatten().data<float>().ToArray().Order()];

    [Fact]
    public void Pixels_are_divided_by_255_and_nothing_else_happens_to_true_unwhitened_uncropped_inputs()
    {
        using var images = Framed();
        using var scope = NewDisposeScope();
        var r = TrainingData.PrepareImages(images, images, crop: 0, whiten: false, augmentCrop: false, InputCorruption.None, inputSeed: 1);
        Assert.Equal(ScalarType.Float32, r.TrainEval.dtype);
        Assert.True(r.TrainEval.allclose(images.to_type(ScalarType.Float32).div(255f), rtol: 0, atol: 0));
        Assert.Same(r.TrainBatches, r.TrainEval);
        Assert.Equal(0, r.FractionChanged);
    }

    [Fact]
    public void Without_augmentation_the_centre_crop_is_randomized_so_the_border_never_enters()
    {
        using var images = Framed();
        using var scope = NewDisposeScope();
        var r = TrainingData.PrepareImages(images, images, crop: 28, whiten: false, augmentCrop: false, new InputCorruption(InputMode.Random), inputSeed: 1);
        Assert.Equal([20L, 1, 28, 28], r.TrainEval.shape);
        Assert.True(r.TrainEval.max().item<float>() < 200 / 255f + 1e-6, "a border pixel (255) was moved into the crop");
        var crop = Preprocessing.CenterCrop(Preprocessing.ToUnitFloat(images), 28).contiguous();
        for (int i = 0; i < 20; i++) Assert.Equal(SortedImage(crop, i), SortedImage(r.TrainEval, i)); // a permutation of its own crop
        Assert.False(Same.Tensors(crop, r.TrainEval));
    }

    [Fact]
    public void With_crop_augmentation_the_full_image_is_randomized_before_any_crop()
    {
        using var images = Framed();
        using var scope = NewDisposeScope();
        var r = TrainingData.PrepareImages(images, images, crop: 28, whiten: false, augmentCrop: true, new InputCorruption(InputMode.Random), inputSeed: 1);
        Assert.Equal([20L, 1, 32, 32], r.TrainBatches.shape); // random crops are cut per batch from the full randomized image
        var unit = Preprocessing.ToUnitFloat(images);
        for (int i = 0; i < 20; i++) Assert.Equal(SortedImage(unit, i), SortedImage(r.TrainBatches, i));
        Assert.Equal([20L, 1, 28, 28], r.TrainEval.shape); // evaluated on the centre of the randomized image,
        Assert.Equal(1f, r.TrainEval.max().item<float>());  // into which border pixels have moved
    }

    [Fact]
    public void Whitening_comes_last_so_every_randomized_image_has_mean_zero_and_unit_std()
    {
        using var images = Framed();
        using var scope = NewDisposeScope();
        var r = TrainingData.PrepareImages(images, images, crop: 28, whiten: true, augmentCrop: false, new InputCorruption(InputMode.Gaussian), inputSeed: 1);
        foreach (var x in new[] { r.TrainEval, r.Test })
        {
            var flat = x.reshape(20, -1);
            Assert.All(flat.mean([1]).data<float>().ToArray(), m => Assert.InRange(m, -1e-4, 1e-4));
            Assert.All(flat.std(1, unbiased: false).data<float>().ToArray(), s => Assert.InRange(s, 1 - 1e-3, 1 + 1e-3));
        }
        // with augmentation the batch source stays unwhitened: Augmentation whitens each batch after cropping
        var a = TrainingData.PrepareImages(images, images, crop: 28, whiten: true, augmentCrop: true, new InputCorruption(InputMode.Gaussian), inputSeed: 1);
        Assert.True(a.TrainBatches.mean().item<float>() > 0.3, "the augmentation source was whitened before cropping");
    }

    [Fact]
    public void Augmentation_whitens_each_crop_not_the_image_it_was_cut_from()
    {
        // a ramp 0..31 along the columns: any 28-wide window has a different mean from the whole image
        using var ramp = arange(32, dtype: ScalarType.Float32).expand(4, 1, 32, 32).contiguous();
        using var g = new Generator(3);
        using var scope = NewDisposeScope();
        var x = Augmentation.Apply(ramp, 28, crop: true, flip: true, whiten: true, g);
        var flat = x.reshape(4, -1);
        Assert.All(flat.mean([1]).data<float>().ToArray(), m => Assert.InRange(m, -1e-4, 1e-4));
        Assert.All(flat.std(1, unbiased: false).data<float>().ToArray(), s => Assert.InRange(s, 1 - 1e-3, 1 + 1e-3));
        // whitening the whole image first would leave a crop's mean off zero unless the crop is centred
        var first = Preprocessing.PerImageStandardization(ramp).narrow(3, 0, 28).narrow(2, 0, 28);
        Assert.True(Math.Abs(first.mean().item<float>()) > 0.1);
    }
}
