using Shatter.Theory;

namespace Shatter.Tests.Theory;

public sealed class MinimumNormTests
{
    [Fact]
    public void Sgd_from_zero_converges_to_the_minimum_norm_solution()
    {
        var r = MinimumNormExperiment.Run(30, 120, 300, 1);
        Assert.True(r.FromZeroRelativeDistance < 1e-8, $"distance {r.FromZeroRelativeDistance}");
        Assert.True(r.FromZeroResidual < 1e-8);
    }

    [Fact]
    public void Sgd_from_elsewhere_interpolates_but_keeps_its_null_space_component()
    {
        var r = MinimumNormExperiment.Run(30, 120, 300, 1);
        Assert.True(r.FromStartResidual < 1e-8, "it should still fit the data");
        Assert.True(r.FromStartRelativeDistance > 0.3, $"distance {r.FromStartRelativeDistance}");
        Assert.True(r.FromStartNorm > r.MinimumNorm * 1.1);
        Assert.True(r.FromStartDistanceToPredicted < 1e-8, $"distance to w_min + (I − P)w₀: {r.FromStartDistanceToPredicted}");
    }

    [Fact]
    public void More_points_than_dimensions_is_a_one_sentence_error()
    {
        var e = Assert.Throws<ShatterException>(() => MinimumNormExperiment.Run(50, 20, 10, 1));
        Assert.Contains("n < d", e.Message);
    }
}
