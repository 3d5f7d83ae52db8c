using Shatter.Reporting.Analysis;
using Shatter.Training;
using static Shatter.Tests.Reporting.HandMadeRuns;

namespace Shatter.Tests.Reporting.Analysis;

public sealed class Table1AnalysisTests
{
    static readonly TrainConfig Mlp = new() { Model = "mlp-1x512", UntilFit = true, Epochs = 100 };

    static IReadOnlyList<Shatter.Reporting.ReportRun> Table(double wdTest, bool randomFits, bool plainFits = true) =>
    [
        Run("table1", Mlp with { WeightDecay = 5e-4 }, 1, wdTest, stepsToFit: 500, point: ("regularization", "weight decay")),
        Run("table1", Mlp, plainFits ? 1 : 0.99, 0.50, stepsToFit: plainFits ? 400 : null, point: ("regularization", "none")),
        Run("table1", Mlp with { LabelNoise = 1 }, randomFits ? 1 : 0.983, 0.1, stepsToFit: randomFits ? 900 : null, point: ("regularization", "random labels")),
    ];

    [Fact]
    public void A_small_regularizer_effect_is_checked_beside_the_papers_pattern()
    {
        var findings = Table1Analysis.Findings(Table(wdTest: 0.52, randomFits: true));
        Assert.Equal("✓ mlp-1x512: without any regularizer it still fits its training set (fitted in 10 epochs); paper: no regularizer is necessary.", findings[0]);
        // paper, MLP 1x512: 50.39 with weight decay, 50.51 without
        Assert.Equal("✓ mlp-1x512: weight decay changed test accuracy by +2.0 points (52% vs 50% without; paper: −0.1); a small effect, as the paper finds.", findings[1]);
        Assert.Equal("✓ mlp-1x512: random labels fitted (fitted in 10 epochs), test accuracy 10% (chance 10%); paper: random labels are fitted.", findings[2]);
    }

    [Fact]
    public void A_large_effect_and_unfitted_runs_are_marked_against_the_paper_with_the_epoch_cap()
    {
        var findings = Table1Analysis.Findings(Table(wdTest: 0.62, randomFits: false, plainFits: false));
        Assert.Equal("✗ mlp-1x512: without any regularizer it did not fit within the cap of 100 epochs (99% training accuracy); paper: it fits without one.", findings[0]);
        Assert.StartsWith("✗ mlp-1x512: weight decay changed test accuracy by +12.0 points", findings[1]);
        Assert.Equal("✗ mlp-1x512: random labels did not fit within the cap of 100 epochs (98.3% training accuracy), test accuracy 10% (chance 10%); paper: random labels are fitted.", findings[2]);
    }

    [Fact]
    public void Random_labels_with_weight_decay_follow_the_paper_per_model()
    {
        var runs = new[]
        {
            Run("table1", Mlp with { LabelNoise = 1, WeightDecay = 5e-4 }, 1, 0.1, stepsToFit: 900, point: ("regularization", "random labels + weight decay")),
            Run("table1", Mlp with { Model = "alexnet", LabelNoise = 1, WeightDecay = 5e-4 }, 0.5, 0.1, point: ("regularization", "random labels + weight decay")),
        };
        var findings = Table1Analysis.Findings(runs);
        Assert.Equal("✓ mlp-1x512: random labels + weight decay fitted (fitted in 10 epochs), test accuracy 10% (chance 10%); paper: Inception and the MLPs still fit random labels with weight decay.", findings[0]);
        Assert.StartsWith("✓ alexnet: random labels + weight decay did not fit within the cap of 100 epochs", findings[1]);
        Assert.EndsWith("paper: AlexNet with weight decay fails to converge on random labels.", findings[1]);
    }

    [Fact]
    public void Rows_keep_every_seed_and_the_papers_numbers()
    {
        var runs = new[]
        {
            Run("table1", Mlp with { Seed = 1 }, 1, 0.50, stepsToFit: 400, point: ("regularization", "none")),
            Run("table1", Mlp with { Seed = 2 }, 1, 0.54, stepsToFit: 400, point: ("regularization", "none")),
        };
        var row = Table1Analysis.Rows(runs).Single();
        Assert.Equal((2, 0.52, 50.51), (row.Runs.Count, Math.Round(row.Test.Mean, 6), row.Paper!.Test));
    }
}
