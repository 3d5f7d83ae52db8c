using Shatter.Measures;
using Shatter.Tests.Cli;
using Shatter.Tests.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Tests.Measures;

[Collection(Training.SerialTorchRandom.Name)]
public sealed class CapacityTests
{
    [Fact]
    public void Correlation_is_the_mean_of_label_times_sign_of_the_output()
    {
        using var net = nn.Linear(1, 1, hasBias: false);
        using (var noGrad = no_grad()) net.weight!.copy_(ones(1, 1));
        using var x = tensor(new float[] { 1, -2, 3, 0.5f }).view(4, 1);
        using var sigma = tensor(new float[] { 1, 1, -1, 1 });
        Assert.Equal(0, RademacherExperiment.Correlation(net, x, sigma), 6);      // (1 − 1 − 1 + 1) / 4
        using var agree = tensor(new float[] { 1, -1, 1, 1 });
        Assert.Equal(1, RademacherExperiment.Correlation(net, x, agree), 6);
    }

    [Fact]
    public void A_model_that_fits_every_draw_has_rademacher_complexity_one_and_a_vacuous_bound()
    {
        RealData.RequireFashionMnist();
        var r = RademacherExperiment.Run("mlp-1x256", "fashion-mnist", null, 30, 3, [1, 200], seed: 2);
        var fitted = r.Budgets.Single(b => b.Epochs == 200);
        Assert.All(fitted.PerDraw, v => Assert.Equal(1.0, v, 6));
        Assert.Equal(1.0, fitted.Mean, 6);
        Assert.Equal(0, fitted.StdDev, 6);
        Assert.True(fitted.BoundGap > 1);
        Assert.StartsWith("vacuous", RademacherExperiment.Verdict(fitted.BoundGap));
        Assert.True(r.Budgets.Single(b => b.Epochs == 1).Mean < 1); // one epoch of SGD does not fit random signs yet
    }

    [Fact]
    public void Three_points_on_a_line_are_shattered_by_a_wide_mlp_and_every_labelling_is_tried()
    {
        var r = ShatteringExperiment.Run("mlp-1x8", 3, 1, seed: 1);
        Assert.True(r.AllLabellings);
        Assert.Equal(8, r.Labellings);
        Assert.Equal(8, r.Fitted);
        Assert.True(r.Shattered);
        Assert.Equal(8 + 8 + 8 + 1, r.Parameters); // 1 → 8 → 1
    }

    [Fact]
    public void A_linear_model_in_one_dimension_cannot_fit_alternating_labels()
    {
        // mlp-1x1 computes f(x) = a·relu(w·x + b) + c, monotone along a line: on 3 points of a line it cannot fit +, −, +
        var r = ShatteringExperiment.Run("mlp-1x1", 3, 1, restarts: 2, seed: 1);
        Assert.Equal(8, r.Labellings);
        Assert.True(r.Fitted < 8);
        Assert.False(r.Shattered);
    }

    [Fact]
    public void Vc_prints_how_many_labellings_fit_and_refuses_a_convolutional_model()
    {
        var ok = CliRunner.Run("vc", "--model", "mlp-1x8", "--n", "3", "--d", "1");
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("fitted 8 of 8", ok.Output);
        Assert.Contains("VC dimension ≥ 3", ok.Output);
        var bad = CliRunner.Run("vc", "--model", "alexnet", "--n", "3");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("not an MLP", bad.Error);
    }
}
