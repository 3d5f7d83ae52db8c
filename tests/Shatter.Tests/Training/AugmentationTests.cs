using Shatter.Training;
using static TorchSharp.torch;

namespace Shatter.Tests.Training;

public sealed class AugmentationTests
{
    [Fact]
    public void Random_crops_are_windows_of_each_image_at_per_image_offsets()
    {
        // Image i holds values 1000·i + 32·y + x, so a crop's top-left value reveals its offset.
        using var scope = NewDisposeScope();
        var b = 64;
        var x = arange(b * 32 * 32, dtype: ScalarType.Float32).reshape(b, 1, 32, 32);
        x = x.sub(arange(b, dtype: ScalarType.Float32).mul(1024).view(b, 1, 1, 1)).add(arange(b, dtype: ScalarType.Float32).mul(1000).view(b, 1, 1, 1));
        using var gen = new Generator(7);
        var crops = Augmentation.Apply(x, 28, crop: true, flip: false, whiten: false, gen);
        Assert.Equal(new long[] { b, 1, 28, 28 }, crops.shape);
        var offsets = new HashSet<(int, int)>();
        for (int i = 0; i < b; i++)
        {
            var v = (int)crops[i, 0, 0, 0].item<float>() - 1000 * i;
            int oy = v / 32, ox = v % 32;
            Assert.InRange(oy, 0, 4);
            Assert.InRange(ox, 0, 4);
            offsets.Add((oy, ox));
            // the whole window is contiguous in the source image
            Assert.Equal(1000 * i + 32 * (oy + 27) + ox + 27, (int)crops[i, 0, 27, 27].item<float>());
        }
        Assert.True(offsets.Count > 5, "offsets should vary between images");
    }

    [Fact]
    public void Flips_mirror_about_half_of_the_images()
    {
        using var scope = NewDisposeScope();
        var x = rand(400, 1, 4, 4);
        using var gen = new Generator(3);
        var y = Augmentation.Apply(x, 4, crop: false, flip: true, whiten: false, gen);
        int flipped = 0;
        for (int i = 0; i < 400; i++)
        {
            if (y[i].allclose(x[i].flip(2))) flipped++;
            else Assert.True(y[i].allclose(x[i]));
        }
        Assert.InRange(flipped, 150, 250);
    }
}
