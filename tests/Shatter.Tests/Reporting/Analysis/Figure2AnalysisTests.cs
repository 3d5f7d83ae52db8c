using Shatter.Reporting.Analysis;
using Shatter.Training;
using static Shatter.Tests.Reporting.HandMadeRuns;

namespace Shatter.Tests.Reporting.Analysis;

public sealed class Figure2AnalysisTests
{
    static TrainConfig Net(string model, long seed) => new() { Model = model, Seed = seed, Epochs = 8 };

    static IReadOnlyList<Shatter.Reporting.ReportRun> TwoSeeds() =>
    [
        Run("figure2", Net("inception", 1), 0.98, 0.85, best: 0.86, bestEpoch: 6, curve: Epochs(8, 8, e => 0.1 + 0.11 * e)),
        Run("figure2", Net("inception", 2), 0.97, 0.84, best: 0.88, bestEpoch: 3, curve: Epochs(8, 8, e => 0.1 + 0.1 * e)),
        Run("figure2", Net("inception-nobn", 1), 0.90, 0.81, best: 0.815, bestEpoch: 7, curve: Epochs(8, 8, e => 0.1 + 0.1 * e)),
        Run("figure2", Net("inception-nobn", 2), 0.12, 0.10, best: 0.11, bestEpoch: 1, curve: Epochs(4, 8, e => 0.1)),
    ];

    [Fact]
    public void Best_epochs_come_from_every_seed()
    {
        var seeds = Figure2Analysis.Seeds(TwoSeeds());
        Assert.Equal([6, 3, 7, 1], seeds.Select(s => s.BestEpoch));
        Assert.Equal(0.04, seeds[1].EarlyStoppingGain, 9);
    }

    [Fact]
    public void The_batch_norm_gap_and_the_early_stopping_gain_are_stated_per_seed()
    {
        var findings = Figure2Analysis.Findings(TwoSeeds());
        Assert.Contains("✓ seed 1: batch norm ahead by +4.0 points in final test accuracy (inception 85% vs inception-nobn 81%) and +4.5 in best test accuracy (86% vs 81.5%); paper: batch norm adds 3–4 points.", findings);
        Assert.Contains("✓ seed 2: batch norm ahead by +74.0 points in final test accuracy (inception 84% vs inception-nobn 10%) and +77.0 in best test accuracy (88% vs 11%); paper: batch norm adds 3–4 points.", findings);
        Assert.Contains("✓ inception seed 1: early stopping would have gained +1.0 points (best 86% at epoch 6, final 85%); paper: no benefit on CIFAR-10.", findings);
        Assert.Contains("✗ inception seed 2: early stopping would have gained +4.0 points (best 88% at epoch 3, final 84%); paper: no benefit on CIFAR-10 (here more than 1 point).", findings);
    }

    [Fact]
    public void A_network_stuck_at_chance_is_marked_against_the_chance_of_its_dataset()
    {
        var findings = Figure2Analysis.Findings(TwoSeeds());
        Assert.Contains("✗ inception-nobn seed 2: training accuracy 12%, not well above chance (10%); test accuracy 10%.", findings);
        Assert.Contains("✓ inception-nobn seed 1: training accuracy 90%, well above chance (10%); test accuracy 81%.", findings);
        var cifar100 = Run("figure2", Net("inception", 1) with { Dataset = "cifar100" }, 0.3, 0.2);
        Assert.Contains("chance (1%)", Figure2Analysis.Findings([cifar100])[0]);
    }

    [Fact]
    public void Curves_of_seeds_with_different_lengths_are_aligned_on_steps()
    {
        var runs = TwoSeeds().Where(r => r.Model == "inception-nobn").ToList();
        var (train, _) = Figure2Analysis.Curves(runs);
        Assert.Equal(2, train.Single(p => p.X == 32).Runs);   // both seeds at epoch 4 (step 32)
        var late = train.Single(p => p.X == 64);                // only seed 1 ran 8 epochs
        Assert.Equal((1, 0.9), (late.Runs, Math.Round(late.Mean, 9)));
    }
}
