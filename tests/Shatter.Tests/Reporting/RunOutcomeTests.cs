using Shatter.Reporting;
using Shatter.Training;

namespace Shatter.Tests.Reporting;

public sealed class RunOutcomeTests
{
    [Fact]
    public void A_run_stopped_by_its_epoch_cap_did_not_fit_within_it_and_a_fixed_run_trained_its_epochs()
    {
        var summary = new TrainSummary { Epochs = 100, FinalTrainAccuracy = 0.9834, StopReason = "epochs" };
        Assert.Equal("did not fit within the cap of 100 epochs (98.3% training accuracy)", RunOutcome.Describe(new TrainConfig { UntilFit = true, Epochs = 100 }, summary));
        Assert.Equal("trained its 100 epochs (98.3% training accuracy)", RunOutcome.Describe(new TrainConfig { Epochs = 100 }, summary));
        Assert.Equal("fitted in 12 epochs", RunOutcome.Describe(new TrainConfig { UntilFit = true }, summary with { StepsToFit = 120, EpochsToFit = 12, StopReason = "fit" }));
        Assert.Equal("did not fit within the cap of 500 steps (98.3% training accuracy)", RunOutcome.Describe(new TrainConfig { MaxSteps = 500 }, summary with { StopReason = "max-steps" }));
    }

    [Theory]
    [InlineData("regression", 0.85539, "(0.855 training R²)")]
    [InlineData("maze", 0.405, "(40.5% training success rate)")]
    [InlineData("reconstruction", -0.12, "(-0.12 training reconstruction score (1 − MSE/variance))")]
    [InlineData("semi-supervised", 0.9834, "(98.3% training accuracy)")]
    public void An_unfitted_run_gives_its_training_score_in_its_tasks_terms(string task, double score, string expected)
    {
        var summary = new TrainSummary { Task = task, Epochs = 60, FinalTrainAccuracy = score, StopReason = "epochs" };
        Assert.Equal($"did not fit within the cap of 60 epochs {expected}", RunOutcome.Describe(new TrainConfig { UntilFit = true, Epochs = 60 }, summary));
    }
}
