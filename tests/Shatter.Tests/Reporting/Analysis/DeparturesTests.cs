using Shatter.Reporting;
using Shatter.Reporting.Analysis;
using Shatter.Training;

namespace Shatter.Tests.Reporting.Analysis;

public sealed class DeparturesTests
{
    [Fact]
    public void The_constant_rate_of_until_fit_runs_is_listed_as_a_departure_where_the_paper_decays()
    {
        static bool Lists(TrainConfig c) => Departures.Of([c]).Any(d => d.Contains("keep their initial learning rate", StringComparison.Ordinal));
        Assert.True(Lists(new TrainConfig { UntilFit = true }));                                            // the default for until-fit
        Assert.False(Lists(new TrainConfig { UntilFit = true, Schedule = LearningRateSchedule.Paper }));   // asked for the paper's
        Assert.False(Lists(new TrainConfig { UntilFit = true, LearningRateDecay = 1 }));                   // asked for a constant rate: no departure from what was asked
        Assert.False(Lists(new TrainConfig()));                                                            // fixed epochs: the paper's
    }

    [Fact]
    public void The_screened_training_evaluation_of_until_fit_image_runs_is_listed_as_a_departure()
    {
        static bool Lists(TrainConfig c) => Departures.Of([c]).Any(d => d.Contains("from the epoch's own forward passes", StringComparison.Ordinal));
        Assert.True(Lists(new TrainConfig { UntilFit = true }));
        Assert.False(Lists(new TrainConfig()));                                                            // fixed epochs: every epoch measured
        Assert.False(Lists(new TrainConfig { UntilFit = true, Dataset = "house-prices" }));                // regression: not screened
    }

    [Fact]
    public void A_constant_rate_reads_constant_not_a_schedule_of_times_one()
    {
        var departures = Departures.Of([new TrainConfig { UntilFit = true, LearningRateDecay = 1 }]);
        Assert.Contains("constant learning rate (no decay; paper: ×0.95 per 50,000-image epoch).", departures);
        Assert.DoesNotContain(departures, d => d.Contains("×1 every", StringComparison.Ordinal));
        // a decay other than the paper's is still a schedule, and only the decaying runs are in it
        var mixed = Departures.Of([new TrainConfig { LearningRateDecay = 0.9, DecayEvery = 10_000 }, new TrainConfig { LearningRateDecay = 1 }]);
        Assert.Contains("learning-rate schedule ×0.9 every 10,000 images (paper: ×0.95 per 50,000-image epoch).", mixed);
        Assert.Contains("constant learning rate (no decay; paper: ×0.95 per 50,000-image epoch).", mixed);
        Assert.DoesNotContain(Departures.Of([new TrainConfig()]), d => d.Contains("learning rate", StringComparison.Ordinal) || d.Contains("schedule", StringComparison.Ordinal));
    }

    [Fact]
    public void Autoencoder_runs_are_listed_with_their_reconstruction_target_not_a_training_accuracy_or_a_screened_evaluation()
    {
        var departures = Departures.Of([new TrainConfig { Model = "ae-mlp-2x256", UntilFit = true, ReconstructionTarget = 0.002 }]);
        Assert.Contains("autoencoders (ae-mlp-2x256) trained on reconstruction until the training MSE is at most 0.002 (beyond the paper's classifiers; issue 21).", departures);
        Assert.DoesNotContain(departures, d => d.Contains("training accuracy reaches", StringComparison.Ordinal) || d.Contains("own forward passes", StringComparison.Ordinal));
        Assert.Contains(Departures.Of([new TrainConfig { UntilFit = true }]), d => d.Contains("training accuracy reaches", StringComparison.Ordinal));
    }
}
