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

    [Theory]
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
