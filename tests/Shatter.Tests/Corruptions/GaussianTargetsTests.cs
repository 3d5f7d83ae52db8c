using Shatter.Corruptions;
using Shatter.Experiments;
using Shatter.Tests.Cli;
using Shatter.Tests.Data;
using Shatter.Training;

namespace Shatter.Tests.Corruptions;

/// <summary>Gaussian targets of the same mean and variance: which targets change, their moments, the option's errors.</summary>
public sealed class GaussianTargetsTests
{
    static readonly double[] Y = [.. Enumerable.Range(0, 4000).Select(i => 20 + 5 * Math.Sin(i))];

    [Fact]
    public void A_fraction_p_of_the_targets_at_the_positions_shuffle_chooses_is_replaced_and_the_rest_kept()
    {
        var (targets, chosen) = TargetNoise.GaussianFraction(Y, 0.25, 7);
        Assert.Equal(TargetNoise.Shuffle(Y, 0.25, 7).Chosen, chosen);
        Assert.Equal(1000, chosen.Count(c => c));
        for (int i = 0; i < Y.Length; i++)
            if (chosen[i]) Assert.NotEqual(Y[i], targets[i]);
            else Assert.Equal(Y[i], targets[i]);
        Assert.Equal(targets, TargetNoise.GaussianFraction(Y, 0.25, 7).Targets); // a pure function of (targets, p, seed)
    }

    [Fact]
    public void Fully_gaussian_targets_have_the_targets_mean_and_variance()
    {
        var (targets, chosen) = TargetNoise.GaussianFraction(Y, 1, 3);
        Assert.All(chosen, Assert.True);
        double mean = Y.Average(), variance = Y.Average(v => (v - mean) * (v - mean));
        double m = targets.Average(), v2 = targets.Average(v => (v - m) * (v - m));
        // 4,000 draws: the sample mean is within 4 standard errors (σ/√n ≈ 0.056), the variance within 10%
        Assert.InRange(m, mean - 0.23, mean + 0.23);
        Assert.InRange(v2, 0.9 * variance, 1.1 * variance);
    }

    [Fact]
    public void The_target_noise_mode_is_identity_neutral_while_shuffle_and_an_error_on_images()
    {
        Assert.DoesNotContain("target_noise_mode", RunIdentity.Canonical(new TrainConfig()));
        var table = new TrainConfig { Dataset = "house-prices", LabelNoise = 1 };
        Assert.NotEqual(RunIdentity.Hash(table), RunIdentity.Hash(table with { TargetNoiseMode = TargetNoiseMode.Gaussian }));
        var e = Assert.Throws<ShatterException>(() => new TrainConfig { TargetNoiseMode = TargetNoiseMode.Gaussian }.Validate());
        Assert.Contains("has class labels", e.Message);
        using var folder = new TempFolder();
        var bad = CliRunner.Run("train", "--out", folder["a"], "--dataset", "house-prices", "--target-noise", "uniform");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("use shuffle or gaussian", bad.Error);
        var images = CliRunner.Run("train", "--out", folder["b"], "--target-noise", "gaussian");
        Assert.Equal(2, images.ExitCode);
        Assert.Contains("has class labels", images.Error);
    }

    [Fact]
    public void A_table_trained_on_gaussian_targets_records_every_target_as_changed()
    {
        using var folder = new TempFolder();
        var csv = folder["t.csv"];
        File.WriteAllLines(csv, ["a,b,y", .. Enumerable.Range(0, 50).Select(i => $"{i},{i % 7},{3 * i + 1}")]);
        var config = new TrainConfig { Dataset = "csv:" + csv, Target = "y", Model = "mlp-10", Epochs = 1, LabelNoise = 1, TargetNoiseMode = TargetNoiseMode.Gaussian, Threads = 1 };
        var summary = Trainer.Run(config, folder["run"]);
        Assert.Equal(1.0, summary.FractionLabelsChanged);
        var shuffled = Trainer.Run(config with { TargetNoiseMode = TargetNoiseMode.Shuffle }, folder["run2"]);
        Assert.NotEqual(summary.FinalTrainLoss, shuffled.FinalTrainLoss);
    }
}
