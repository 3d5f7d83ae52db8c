using Shatter.Training.SemiSupervised;
using static TorchSharp.torch;

namespace Shatter.Tests.Training.SemiSupervised;

public sealed class PseudoLabellingTests
{
    [Fact]
    public void Confidence_exactly_at_the_threshold_counts_and_just_below_does_not()
    {
        using var p = tensor(new[] { 0.95, 0.05, 0.95 - 1e-12, 0.05 + 1e-12, 0.95 + 1e-12, 0.05 - 1e-12, 0.5, 0.5, 0.03, 0.97 }, [5, 2]);
        using var mask = PseudoLabelling.ConfidentMask(p, 0.95);
        Assert.Equal(new[] { true, false, true, false, true }, mask.data<bool>().ToArray());
        // float32 probabilities compare in float32: 0.95f (0.949999988) is at τ = 0.95, the next float below is not
        using var single = tensor(new[] { 0.95f, 0.05f, MathF.BitDecrement(0.95f), 0.05f }, [2, 2]);
        using var singleMask = PseudoLabelling.ConfidentMask(single, 0.95);
        Assert.Equal(new[] { true, false }, singleMask.data<bool>().ToArray());
    }

    [Fact]
    public void The_fixmatch_term_is_the_masked_cross_entropy_of_the_strong_view_averaged_over_all_unlabelled_examples()
    {
        // weak views: example 0 is 96% class 0 (confident), example 1 is 60/40 (not), example 2 is 97% class 1 (confident)
        using var weak = tensor(new[] { Math.Log(0.96), Math.Log(0.04), Math.Log(0.6), Math.Log(0.4), Math.Log(0.03), Math.Log(0.97) }, [3, 2]).to_type(ScalarType.Float32).requires_grad_(true);
        var strongValues = new[] { 0.2, -0.1, 1.5, 0.3, -0.7, 0.4 };
        using var strong = tensor(strongValues, [3, 2]).to_type(ScalarType.Float32).requires_grad_(true);
        using var term = PseudoLabelling.FixMatch(weak, strong, 0.95);
        Assert.Equal(new[] { true, false, true }, term.Mask.data<bool>().ToArray());
        Assert.Equal(new long[] { 0, 0, 1 }, term.Targets.data<long>().ToArray());
        Assert.Equal(2.0 / 3, term.MaskRate, 1e-12);
        // by hand: CE(z, y) = log(e^z0 + e^z1) − z_y; (CE(strong0, 0) + 0 + CE(strong2, 1)) / 3
        double Ce(double z0, double z1, int y) => Math.Log(Math.Exp(z0) + Math.Exp(z1)) - (y == 0 ? z0 : z1);
        double expected = (Ce(0.2, -0.1, 0) + Ce(-0.7, 0.4, 1)) / 3;
        Assert.Equal(expected, term.Loss.item<float>(), 1e-6);
        term.Loss.backward();
        Assert.Null(weak.grad);                                                  // the targets carry no gradient
        var g = strong.grad!.data<float>().ToArray();
        Assert.Equal(0f, g[2]);                                                  // the unconfident example adds nothing
        Assert.Equal(0f, g[3]);
        // ∂CE/∂z_k = softmax_k − 1[k = y], divided by 3
        double s0 = Math.Exp(0.2) / (Math.Exp(0.2) + Math.Exp(-0.1));
        Assert.Equal((s0 - 1) / 3, g[0], 1e-6);
        Assert.Equal((1 - s0) / 3, g[1], 1e-6);
    }

    [Fact]
    public void Threshold_zero_trusts_every_prediction_and_threshold_one_none_that_is_uncertain()
    {
        using var weak = tensor(new float[] { 0.1f, 0.2f, 3f, -3f }, [2, 2]);
        using var strong = tensor(new float[] { 0.5f, 0.5f, 1f, 0f }, [2, 2]);
        using var all = PseudoLabelling.FixMatch(weak, strong, 0);
        Assert.Equal(1.0, all.MaskRate);
        using var none = PseudoLabelling.FixMatch(weak, strong, 1);
        Assert.Equal(0.0, none.MaskRate);
        Assert.Equal(0f, none.Loss.item<float>());
    }

    [Fact]
    public void Lees_pseudo_label_loss_takes_the_argmax_as_target_and_still_trains_the_prediction()
    {
        using var logits = tensor(new float[] { 2, 0, 0, 1 }, [2, 2]).requires_grad_(true);
        using var loss = PseudoLabelling.PseudoLabel(logits);
        double expected = (Math.Log(Math.Exp(2) + 1) - 2 + Math.Log(1 + Math.Exp(1)) - 1) / 2;
        Assert.Equal(expected, loss.item<float>(), 1e-6);
        loss.backward();
        var g = logits.grad!.data<float>().ToArray();
        Assert.True(g[0] < 0 && g[3] < 0, "the loss pushes each example further towards its own argmax");
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(99.9, 0)]
    [InlineData(100, 0)]
    [InlineData(350, 1.5)]
    [InlineData(599, 3 * 499.0 / 500)]
    [InlineData(600, 3)]
    [InlineData(5000, 3)]
    public void Lees_weight_is_zero_then_ramps_linearly_to_its_final_value(double t, double expected)
    {
        Assert.Equal(expected, PseudoLabelling.LeeWeight(t, new PseudoLabelOptions()), 1e-12);
    }

    [Fact]
    public void A_short_ramp_and_bad_ramps()
    {
        var quick = new PseudoLabelOptions(FinalWeight: 1, RampStart: 2, RampEnd: 4);
        Assert.Equal([0, 0, 0, 0.5, 1, 1], Enumerable.Range(0, 6).Select(t => PseudoLabelling.LeeWeight(t, quick)));
        Assert.Throws<ShatterException>(() => PseudoLabelling.LeeWeight(1, new PseudoLabelOptions(RampStart: 5, RampEnd: 5)));
        Assert.Throws<ShatterException>(() => PseudoLabelling.LeeWeight(1, new PseudoLabelOptions(FinalWeight: -1)));
        Assert.Contains("threshold", Assert.Throws<ShatterException>(() => new FixMatchOptions(Threshold: 1.5).Validate()).Message);
        Assert.Contains("μ", Assert.Throws<ShatterException>(() => new FixMatchOptions(UnlabelledRatio: 0).Validate()).Message);
        var defaults = new FixMatchOptions();
        Assert.Equal((0.95, 7, 1.0), (defaults.Threshold, defaults.UnlabelledRatio, defaults.UnlabelledWeight)); // the paper's
    }

    [Fact]
    public void The_step_loss_adds_the_weighted_unlabelled_term()
    {
        using var labelled = tensor(0.7f);
        using var unlabelled = tensor(0.2f);
        using var total = PseudoLabelling.Combine(labelled, unlabelled, 1.5);
        Assert.Equal(0.7 + 1.5 * 0.2, total.item<float>(), 1e-6);
    }
}
