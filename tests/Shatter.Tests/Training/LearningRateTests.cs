using Shatter.Training;

namespace Shatter.Tests.Training;

public sealed class LearningRateTests
{
    [Fact]
    public void Decay_is_a_staircase_per_decay_every_samples()
    {
        var c = new TrainConfig { LearningRate = 0.1, LearningRateDecay = 0.95, DecayEvery = 50_000 };
        Assert.Equal(0.1, Trainer.LearningRateAt(c, 0));
        Assert.Equal(0.1, Trainer.LearningRateAt(c, 49_999));
        Assert.Equal(0.095, Trainer.LearningRateAt(c, 50_000), 12);
        Assert.Equal(0.1 * Math.Pow(0.95, 3), Trainer.LearningRateAt(c, 150_001), 12);
        Assert.Equal(0.1, Trainer.LearningRateAt(c with { LearningRateDecay = 1 }, 10_000_000));
    }

    [Fact]
    public void The_constant_schedule_keeps_the_initial_rate_whatever_the_decay()
    {
        var c = new TrainConfig { LearningRate = 0.01, LearningRateDecay = 0.95, DecayEvery = 50_000, Schedule = LearningRateSchedule.Constant };
        Assert.Equal(0.01, Trainer.LearningRateAt(c, 0));
        Assert.Equal(0.01, Trainer.LearningRateAt(c, 1000L * 50_000));
        Assert.Equal(0.01 * Math.Pow(0.95, 1000) * 1e10, Trainer.LearningRateAt(c with { Schedule = LearningRateSchedule.Paper }, 1000L * 50_000) * 1e10, 6); // 5.3e-25
    }

    [Fact]
    public void Until_fit_runs_default_to_a_constant_rate_and_others_to_the_papers_schedule()
    {
        Assert.Equal(LearningRateSchedule.Constant, new TrainConfig { UntilFit = true }.Schedule);
        Assert.Equal(LearningRateSchedule.Paper, new TrainConfig().Schedule);
        Assert.Equal(LearningRateSchedule.Paper, new TrainConfig { UntilFit = true, Schedule = LearningRateSchedule.Paper }.Schedule);
        var cli = new Shatter.Cli.Commands.TrainCommand.Settings { UntilFit = true };
        Assert.Equal(LearningRateSchedule.Constant, cli.ToConfig().Schedule);
        Assert.Equal(LearningRateSchedule.Paper, new Shatter.Cli.Commands.TrainCommand.Settings { UntilFit = true, Schedule = "paper" }.ToConfig().Schedule);
        var spec = Shatter.Experiments.TrainOptions.Set(new TrainConfig { UntilFit = true }, "schedule", ["paper"]);
        Assert.Equal(LearningRateSchedule.Paper, spec.Schedule);
    }

    [Theory]
    [InlineData(10, 5, 0.01, 0.01, false)]      // gained 5 epochs ago, same rate
    [InlineData(205, 5, 0.01, 0.01, true)]      // 200 epochs without a gain
    [InlineData(20, 5, 0.01, 0.0001, true)]     // the rate fell 100× since the last gain
    [InlineData(20, 5, 0.01, 0.00011, false)]   // ... not quite
    [InlineData(5, 5, 0.01, 0.00001, false)]    // a gain this very epoch
    public void A_run_stalls_after_200_epochs_or_a_100_fold_rate_drop_without_a_gain(int epoch, int bestEpoch, double rateAtBest, double rateNow, bool stalled) =>
        Assert.Equal(stalled, Trainer.Stalled(epoch, bestEpoch, rateAtBest, rateNow));

    [Theory]
    [InlineData("--schedule", "cosine", "unknown schedule 'cosine'")]
    [InlineData("--lr", "-1", "--lr must be positive")]
    [InlineData("--lr-decay", "1.5", "--lr-decay must be in (0, 1]")]
    [InlineData("--label-noise", "1.2", "--label-noise must be a probability")]
    [InlineData("--batch-size", "0", "--batch-size must be positive")]
    [InlineData("--augment", "rotate", "unknown augmentation 'rotate'")]
    [InlineData("--inputs", "noise", "unknown input mode 'noise'")]
    public void Impossible_options_are_one_sentence_errors(string option, string value, string message)
    {
        var r = Cli.CliRunner.Run("train", "--out", Path.Combine(Path.GetTempPath(), "never-" + Guid.NewGuid()), option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Error);
        Assert.Single(r.Error.Trim().Split('\n'));
    }
}
