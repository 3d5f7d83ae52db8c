using Shatter.Reporting.Analysis;
using Shatter.Training;
using static Shatter.Tests.Reporting.HandMadeRuns;

namespace Shatter.Tests.Reporting.Analysis;

public sealed class BeyondAnalysisTests
{
    static TrainConfig Config(string model, double noise, long seed = 1) => new() { Model = model, LabelNoise = noise, Seed = seed, UntilFit = true, Epochs = 200 };

    /// <summary>A run fitted after <paramref name="epochs"/> epochs of 4 steps (500 images, batch 128), or stopped at its cap of 200.</summary>
    static Shatter.Reporting.ReportRun Beyond(string model, double noise, int? epochs, double test, long seed = 1) =>
        Run("beyond", Config(model, noise, seed), epochs is null ? 0.97 : 1, test, stepsToFit: epochs * 4L, epochs: epochs ?? 200);

    [Fact]
    public void A_model_that_fits_random_labels_within_a_small_factor_agrees_with_the_paper_with_its_epochs_slowdown_and_test_accuracy()
    {
        var models = BeyondAnalysis.Models([Beyond("vit-4x64-p7", 0, 57, 0.715), Beyond("vit-4x64-p7", 1, 59, 0.08)]);
        var vit = Assert.Single(models);
        Assert.Equal((57.0, 59.0), (vit.TrueEpochs.Mean, vit.RandomEpochs.Mean));
        Assert.Equal(236.0 / 228, vit.Slowdown.Mean, 12);
        Assert.Equal(["✓ vit-4x64-p7: fitted random labels in 59 epochs against 57 epochs for true labels, 1.04× the steps; test accuracy 8% against 71.5% with true labels (chance 10%); " +
            "paper, for its own models: random labels are fitted within a small constant factor of true labels' time (here at most 5×) and test at chance."], BeyondAnalysis.Findings(models));
    }

    [Fact]
    public void A_model_of_the_paper_is_set_beside_its_table_1_row_and_one_that_does_not_fit_random_labels_differs()
    {
        var findings = BeyondAnalysis.Findings(BeyondAnalysis.Models(
        [
            Beyond("mlp-1x512", 0, 20, 0.8), Beyond("mlp-1x512", 1, 40, 0.1),
            Beyond("lstm-1x128", 0, 68, 0.7), Beyond("lstm-1x128", 1, null, 0.1),
        ]));
        Assert.Equal("✓ mlp-1x512: fitted random labels in 40 epochs against 20 epochs for true labels, 2.00× the steps; test accuracy 10% against 80% with true labels (chance 10%); " +
            "paper (Table 1, CIFAR-10): mlp-1x512 fits random labels, 99.34% training and 10.61% test accuracy, within a small constant factor of true labels' time.", findings[0]);
        // stopped at its cap (HandMadeRuns counts 10 steps an epoch: 2,000 steps) against 68 × 4 = 272 for true labels: at least 7.35×
        Assert.Equal("✗ lstm-1x128: did not fit random labels (did not fit within the cap of 200 epochs (97% training accuracy)) against 68 epochs for true labels, at least 7.35× the steps; " +
            "test accuracy 10% against 70% with true labels (chance 10%); paper, for its own models: random labels are fitted within a small constant factor of true labels' time (here at most 5×) and test at chance.", findings[1]);
    }

    [Fact]
    public void Seeds_give_the_ranges_and_a_slowdown_past_the_small_factor_differs()
    {
        var findings = BeyondAnalysis.Findings(BeyondAnalysis.Models(
        [
            Beyond("gru-1x128", 0, 20, 0.7, 1), Beyond("gru-1x128", 0, 30, 0.7, 2),
            Beyond("gru-1x128", 1, 110, 0.1, 1), Beyond("gru-1x128", 1, 120, 0.12, 2),   // ×5.5 and ×4.0
        ]));
        Assert.Equal("✗ gru-1x128: fitted random labels in 115 epochs (seeds 110–120) against 25 epochs (seeds 20–30) for true labels, 4.75× (seeds 4.00–5.50) the steps; " +
            "test accuracy 11% (seeds 10%–12%) against 70% with true labels (chance 10%); paper, for its own models: random labels are fitted within a small constant factor of true labels' time (here at most 5×) and test at chance.", Assert.Single(findings));
    }
}
