using Shatter.Reporting;
using Shatter.Reporting.Analysis;
using Shatter.Results;
using Shatter.Training;
using static Shatter.Tests.Reporting.HandMadeRuns;

namespace Shatter.Tests.Reporting.Analysis;

public sealed class PerExampleFitAnalysisTests
{
    /// <summary>A run at label noise 0.5 over 4 epochs with the given per-example rows.</summary>
    static ReportRun WithExamples(long seed, params ExampleRow[] examples)
    {
        var run = Run("figure1", new TrainConfig { LabelNoise = 0.5, Seed = seed, Epochs = 4 }, 1, 0.5, stepsToFit: 40, epochs: 4);
        return new ReportRun(run.Record, () => [], () => [], () => examples);
    }

    [Fact]
    public void Clean_and_corrupted_examples_get_their_own_curve_median_and_count_of_never_fitted()
    {
        var run = WithExamples(1,
            new ExampleRow(0, false, false, 1), new ExampleRow(1, false, false, 1), new ExampleRow(2, false, false, 2),
            new ExampleRow(3, true, false, 3), new ExampleRow(4, true, false, -1));
        var curves = PerExampleFitAnalysis.Curves([run]);
        var clean = curves.Single(c => c.Group == "clean");
        var corrupted = curves.Single(c => c.Group == "corrupted");
        Assert.Equal([0, 1, 2, 3, 4], clean.Epochs);
        Assert.Equal([0, 2 / 3.0, 1, 1, 1], clean.Fitted);
        Assert.Equal((3, 1, 0), (clean.Examples, clean.MedianFirstFitEpoch, clean.NeverFitted));
        Assert.Equal([0, 0, 0, 0.5, 0.5], corrupted.Fitted);
        Assert.Equal((2, 3, 1), (corrupted.Examples, corrupted.MedianFirstFitEpoch, corrupted.NeverFitted));
    }

    [Fact]
    public void Only_partial_noise_with_true_inputs_is_shown_one_run_per_model_and_noise_the_lowest_seed()
    {
        var second = WithExamples(2);
        var first = WithExamples(1);
        var random = Run("figure1", new TrainConfig { LabelNoise = 1 }, 1, 0.1, stepsToFit: 10);
        var gaussian = Run("figure1", new TrainConfig { LabelNoise = 0.5, Inputs = Shatter.Corruptions.InputMode.Gaussian }, 1, 0.1, stepsToFit: 10);
        Assert.Equal([first], PerExampleFitAnalysis.Noisy([second, first, random, gaussian]));
    }
}
