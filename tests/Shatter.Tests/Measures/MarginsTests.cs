using Shatter.Measures;
using static TorchSharp.torch;

namespace Shatter.Tests.Measures;

public sealed class MarginsTests
{
    [Fact]
    public void Margins_of_a_hand_made_batch_are_own_logit_minus_the_best_other()
    {
        using var logits = tensor(new float[,] { { 2, 1, 0 }, { 0, 3, 1 }, { 1, 1, 1 }, { -1, 5, 4 } });
        using var labels = tensor(new long[] { 0, 2, 1, 1 });
        Assert.Equal([1.0, -2.0, 0.0, 1.0], Margins.Of(logits, labels));
    }

    [Fact]
    public void Percentiles_interpolate_between_order_statistics()
    {
        var values = Enumerable.Range(0, 11).Select(i => (double)(10 - i)).ToList(); // 10..0
        Assert.Equal(1.0, Margins.Quantile(values, 0.1), 12);
        Assert.Equal(0.5, Margins.Quantile([0.0, 1.0], 0.5), 12);
        var p = Margins.Percentiles(values);
        Assert.Equal(101, p.Length);
        Assert.Equal(0, p[0]);
        Assert.Equal(10, p[100]);
    }
}
