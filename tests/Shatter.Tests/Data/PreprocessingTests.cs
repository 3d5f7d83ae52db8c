using Shatter.Data;
using static TorchSharp.torch;

namespace Shatter.Tests.Data;

public sealed class PreprocessingTests
{
    [Fact]
    public void To_unit_float_divides_by_255()
    {
        using var x = tensor(new byte[] { 0, 51, 255, 128 }, [1, 1, 2, 2], ScalarType.Byte);
        using var f = Preprocessing.ToUnitFloat(x);
        Assert.Equal(ScalarType.Float32, f.dtype);
        Assert.Equal(new[] { 0f, 0.2f, 1f, 128f / 255f }, f.data<float>().ToArray());
    }

    [Fact]
    public void Whitening_matches_values_computed_by_hand()
    {
        // one image of 4 values 1, 2, 3, 6: mean 3, population variance (4+1+0+9)/4 = 3.5, std √3.5 > 1/√4
        // a second image 0, 0, 0, 4: mean 1, variance (1+1+1+9)/4 = 3, std √3
        using var x = tensor(new float[] { 1, 2, 3, 6, 0, 0, 0, 4 }, [2, 1, 2, 2]);
        using var w = Preprocessing.PerImageStandardization(x);
        double s1 = Math.Sqrt(3.5), s2 = Math.Sqrt(3);
        var expected = new[] { -2 / s1, -1 / s1, 0, 3 / s1, -1 / s2, -1 / s2, -1 / s2, 3 / s2 };
        var got = w.data<float>().ToArray();
        Assert.Equal([2L, 1, 2, 2], w.shape);
        for (int i = 0; i < 8; i++) Assert.Equal(expected[i], got[i], 5);
    }

    [Fact]
    public void Whitening_counts_every_channel_of_a_colour_image()
    {
        // (1, 3, 1, 1): values 0, 1, 2 over the channels: mean 1, std √(2/3)
        using var x = tensor(new float[] { 0, 1, 2 }, [1, 3, 1, 1]);
        using var w = Preprocessing.PerImageStandardization(x);
        double s = Math.Sqrt(2.0 / 3);
        Assert.Equal(new[] { -1 / s, 0, 1 / s }, w.data<float>().ToArray().Select(v => (double)v), new ToleranceComparer(1e-5));
    }

    [Fact]
    public void A_nearly_constant_image_is_divided_by_one_over_root_n_not_its_std()
    {
        // 4 values 0.5, 0.5, 0.5, 0.7: mean 0.55, std √(0.0075)≈0.0866 < 1/√4 = 0.5, so TF divides by 0.5
        using var x = tensor(new float[] { 0.5f, 0.5f, 0.5f, 0.7f, 0.3f, 0.3f, 0.3f, 0.3f }, [2, 1, 2, 2]);
        using var w = Preprocessing.PerImageStandardization(x);
        var got = w.data<float>().ToArray();
        var expected = new[] { -0.1, -0.1, -0.1, 0.3, 0, 0, 0, 0 }; // (v − mean) / 0.5; a constant image becomes 0, not NaN
        for (int i = 0; i < 8; i++) Assert.Equal(expected[i], got[i], 5);
    }

    [Fact]
    public void Whitened_images_have_mean_zero_and_unit_std()
    {
        using var g = new Generator(1);
        using var x = rand([5, 3, 28, 28], generator: g);
        using var w = Preprocessing.PerImageStandardization(x);
        using var flat = w.reshape(5, -1);
        Assert.All(flat.mean([1]).data<float>().ToArray(), m => Assert.InRange(m, -1e-5, 1e-5));
        Assert.All(flat.std(1, unbiased: false).data<float>().ToArray(), s => Assert.InRange(s, 1 - 1e-4, 1 + 1e-4));
    }

    [Fact]
    public void Centre_crop_32_to_28_keeps_rows_and_columns_2_to_29()
    {
        using var x = arange(2 * 3 * 32 * 32, dtype: ScalarType.Float32).reshape(2, 3, 32, 32);
        using var crop = Preprocessing.CenterCrop(x, 28);
        Assert.Equal([2L, 3, 28, 28], crop.shape);
        Assert.Equal(x[1, 2, 2, 2].item<float>(), crop[1, 2, 0, 0].item<float>());
        Assert.Equal(x[1, 2, 29, 29].item<float>(), crop[1, 2, 27, 27].item<float>());
        Assert.Equal(x[0, 1, 2, 29].item<float>(), crop[0, 1, 0, 27].item<float>());
        using var expected = x.index_select(2, arange(2, 30)).index_select(3, arange(2, 30));
        Assert.True(Same.Tensors(crop, expected));
    }

    [Fact]
    public void Cropping_to_the_full_size_changes_nothing_and_a_larger_crop_is_an_error()
    {
        using var x = rand(1, 1, 28, 28);
        using var same = Preprocessing.CenterCrop(x, 28);
        Assert.True(Same.Tensors(same, x));
        var e = Assert.Throws<ShatterException>(() => Preprocessing.CenterCrop(x, 32));
        Assert.Contains("28×28", e.Message);
    }

    [Fact]
    public void Pixel_statistics_are_the_mean_and_population_std_in_unit_range()
    {
        // values 0 and 255 in equal number: mean 0.5, std 0.5
        using var x = tensor(new byte[] { 0, 255, 0, 255, 255, 0, 255, 0 }, [2, 1, 2, 2], ScalarType.Byte);
        var (mean, std) = Preprocessing.PixelStatistics(x);
        Assert.Equal(0.5, mean, 9);
        Assert.Equal(0.5, std, 9);
    }

    [Fact]
    public void Channel_statistics_are_per_channel_and_combine_into_the_global_ones()
    {
        // channel 0 all 0, channel 1 half 0 half 255, channel 2 all 255, in 3 images of 2×2
        var values = new byte[3 * 3 * 4];
        for (int n = 0; n < 3; n++)
            for (int k = 0; k < 4; k++)
            {
                values[(n * 3 + 1) * 4 + k] = (byte)(k % 2 == 0 ? 0 : 255);
                values[(n * 3 + 2) * 4 + k] = 255;
            }
        using var x = tensor(values, [3, 3, 2, 2], ScalarType.Byte);
        var (mean, std) = Preprocessing.ChannelStatistics(x);
        Assert.Equal(new[] { 0, 0.5, 1 }, mean.Select(v => Math.Round(v, 12)));
        Assert.Equal(new[] { 0, 0.5, 0 }, std.Select(v => Math.Round(v, 12)));
        var (m, s) = Preprocessing.PixelStatistics(x); // values: 18 zeros and 18 ones
        Assert.Equal(0.5, m, 12);
        Assert.Equal(0.5, s, 12);
    }

    [Fact]
    public void The_paper_crops_cifar_sized_images_only()
    {
        Assert.Equal(28, Preprocessing.DefaultCrop(32, 32));
        Assert.Equal(0, Preprocessing.DefaultCrop(28, 28));
    }

    sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance;
        public int GetHashCode(double v) => 0;
    }
}
