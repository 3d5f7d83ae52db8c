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
}
