using Shatter.Training.SemiSupervised;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Tests.Training.SemiSupervised;

public sealed class SemiSupervisedAugmentationTests
{
    [Fact]
    public void Cutout_zeroes_one_clipped_square_of_up_to_half_the_side_per_image()
    {
        using var ones = torch.ones(300, 2, 28, 28);
        using var generator = new Generator(1);
        using var cut = SemiSupervisedAugmentation.Cutout(ones, generator);
        var sides = new HashSet<long>();
        for (int i = 0; i < 300; i++)
        {
            using var zero = cut[i, 0].eq(0);
            Assert.True(Same.Tensors(zero, cut[i, 1].eq(0)));          // the same square in every channel
            var rows = zero.any(1).nonzero().squeeze(1).data<long>().ToArray();
            var cols = zero.any(0).nonzero().squeeze(1).data<long>().ToArray();
            // side 1 + ⌊0.499·28⌋ = 14: rows [cy − 7, cy + 7) clipped to the image, so 7 to 14 rows and columns
            Assert.InRange(rows.Length, 7, 14);
            Assert.InRange(cols.Length, 7, 14);
            Assert.Equal(rows.Length * cols.Length, zero.sum().item<long>()); // a full rectangle
            Assert.Equal(rows.Length - 1, rows[^1] - rows[0]);                 // contiguous
            sides.Add(rows.Length);
        }
        Assert.Contains(14L, sides);
        Assert.Contains(7L, sides);
    }

    [Fact]
    public void The_weak_view_shifts_and_flips_each_image_by_its_own_draw_within_an_eighth_of_the_side()
    {
        // image i holds values 10000·i + 100·y + x
        using var scope = NewDisposeScope();
        int b = 200;
        var y = arange(16).view(1, 1, 16, 1).mul(100);
        var x = arange(16).view(1, 1, 1, 16);
        var images = arange(b).view(b, 1, 1, 1).mul(10000).add(y).add(x).to_type(ScalarType.Float32);
        using var generator = new Generator(2);
        var weak = SemiSupervisedAugmentation.Weak(images, generator);
        Assert.Equal(images.shape, weak.shape);
        int moved = 0, flipped = 0;
        for (int i = 0; i < b; i++)
        {
            var img = weak[i, 0];
            Assert.True(img.div(10000).floor().eq(i).all().item<bool>());  // only this image's pixels
            if (!Same.Tensors(img, images[i, 0]) && !Same.Tensors(img, images[i, 0].flip(1))) moved++;
            // the centre pixel moved at most side/8 = 2 rows and columns (reflection keeps it in the image)
            var centre = img[8, 8].item<float>() - 10000 * i;
            int cy = (int)centre / 100, cx = (int)centre % 100;
            Assert.InRange(cy, 6, 10);
            if (cx != 8 && img[8, 9].item<float>() < img[8, 8].item<float>()) flipped++;
        }
        Assert.True(moved > b / 2, $"only {moved} of {b} images were shifted");
        Assert.InRange(flipped, b / 4, 3 * b / 4);
    }

    [Fact]
    public void The_strong_view_adds_noise_and_a_cutout_to_a_weak_view()
    {
        using var ones = torch.ones(50, 1, 16, 16);
        using var generator = new Generator(3);
        using var strong = SemiSupervisedAugmentation.Strong(ones, generator, noise: 0.1);
        Assert.Equal(ones.shape, strong.shape);
        using var far = strong.sub(ones).abs();
        using var inSquare = far.gt(0.6);                                         // zeroed pixels (noise is 0.1)
        Assert.True(inSquare.flatten(1).any(1).all().item<bool>(), "every image has its cutout");
        using var outside = strong.masked_select(inSquare.logical_not());
        Assert.InRange(outside.sub(1).std().item<float>(), 0.08f, 0.12f);        // σ = 0.1 outside the square
        using var quiet = SemiSupervisedAugmentation.Strong(ones, generator, noise: 0);
        Assert.True(quiet.eq(0).logical_or(quiet.eq(1)).all().item<bool>());      // no noise: only ones and the zeroed square
    }

    [Fact]
    public void Views_of_non_square_images_are_refused()
    {
        using var wide = zeros(2, 1, 8, 12);
        using var generator = new Generator(1);
        Assert.Contains("square", Assert.Throws<ShatterException>(() => SemiSupervisedAugmentation.Weak(wide, generator)).Message);
    }
}
