using Shatter.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Tests.Models;

/// <summary>Shatter's BatchNorm2d against TorchSharp's (which it replaces: its forward makes an implicit Scalar).</summary>
public sealed class BatchNorm2dTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Computes_and_tracks_statistics_exactly_as_torchsharps_batchnorm2d(bool affine)
    {
        using var ours = new BatchNorm2d(3, affine: affine);
        using var theirs = nn.BatchNorm2d(3, affine: affine);
        using var gen = new Generator(2);
        if (affine)
            using (no_grad())
            {
                // non-trivial scale and shift, the same in both
                var w = rand([3], generator: gen);
                var b = randn([3], generator: gen);
                foreach (var m in new nn.Module[] { ours, theirs })
                {
                    var p = m.named_parameters().ToDictionary(kv => kv.name, kv => kv.parameter);
                    p["weight"].copy_(w);
                    p["bias"].copy_(b);
                }
            }
        ours.train();
        theirs.train();
        for (int step = 0; step < 4; step++)
        {
            using var x = randn([5, 3, 4, 4], generator: gen).mul_(3).add_(1);
            using var a = ours.call(x);
            using var b = theirs.call(x);
            Assert.True(a.eq(b).all().item<bool>(), $"training output differs at step {step}");
        }
        var ourState = ours.state_dict();
        var theirState = theirs.state_dict();
        Assert.Equal(theirState.Keys.OrderBy(k => k), ourState.Keys.OrderBy(k => k));
        foreach (var key in theirState.Keys)
            Assert.True(ourState[key].eq(theirState[key]).all().item<bool>(), $"{key} differs");
        Assert.Equal(4L, ourState["num_batches_tracked"].item<long>());

        ours.eval();
        theirs.eval();
        using var t = randn([2, 3, 4, 4], generator: gen);
        using var ea = ours.call(t);
        using var eb = theirs.call(t);
        Assert.True(ea.eq(eb).all().item<bool>(), "eval output differs (running statistics)");
        Assert.Equal(4L, ours.state_dict()["num_batches_tracked"].item<long>());   // eval does not count
    }
}
