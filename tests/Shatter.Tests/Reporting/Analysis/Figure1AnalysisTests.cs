using Shatter.Corruptions;
using Shatter.Reporting.Analysis;
using Shatter.Training;
using static Shatter.Tests.Reporting.HandMadeRuns;

namespace Shatter.Tests.Reporting.Analysis;

public sealed class Figure1AnalysisTests
{
    static readonly TrainConfig Base = new() { UntilFit = true, Epochs = 400 };
    static TrainConfig Noise(double p, long seed = 1) => Base with { LabelNoise = p, Seed = seed };

    [Fact]
    public void Loss_curves_of_seeds_that_stop_at_different_steps_are_aligned_on_steps()
    {
        var runs = new[]
        {
            Run("figure1", Noise(0, 1), 1, 0.8, stepsToFit: 1000, steps: Steps(1000, 1.0)),
            Run("figure1", Noise(0, 2), 1, 0.8, stepsToFit: 2000, steps: Steps(2000, 3.0)),
        };
        var (randomization, curve) = Figure1Analysis.LossCurves(runs).Single();
        Assert.Equal("true labels", randomization);
        // bins of 5 steps (2000 / 400): both seeds until step 1000, then only the second
        Assert.Equal(2.0, curve.First(p => p.X < 1000).Mean);
        Assert.Equal(3.0, curve.First(p => p.X > 1000).Mean);
        Assert.Equal(1, curve.First(p => p.X > 1000).Runs);
        Assert.Equal(2000, curve[^1].X + 2.5);
    }

    [Fact]
    public void Unfinished_runs_alone_are_counted_without_an_empty_list_before_them()
    {
        var runs = new[] { Run("figure1", Noise(0), 1, 0.8, stepsToFit: 100), Unfinished("figure1", Noise(1)) };
        var first = Figure1Analysis.Findings(runs)[0];
        Assert.Equal("✗ not every run fitted its training set: 1 of 2 runs did not finish.", first);
    }

    [Fact]
    public void A_run_stopped_by_its_epoch_cap_did_not_fit_within_the_cap()
    {
        var runs = new[] { Run("figure1", Noise(0), 1, 0.8, stepsToFit: 100), Run("figure1", Noise(1), 0.983, 0.1) };
        Assert.Equal("✗ not every run fitted its training set: mlp-1x512 random labels seed 1 did not fit within the cap of 400 epochs (98.3% training accuracy).",
            Figure1Analysis.Findings(runs)[0]);
    }

    [Fact]
    public void The_random_label_slowdown_says_how_many_seeds_did_not_fit_and_carries_a_verdict()
    {
        var runs = new[]
        {
            Run("figure1", Noise(0, 1), 1, 0.8, stepsToFit: 100), Run("figure1", Noise(0, 2), 1, 0.8, stepsToFit: 100),
            Run("figure1", Noise(1, 1), 1, 0.1, stepsToFit: 250), Run("figure1", Noise(1, 2), 0.97, 0.1),
        };
        var line = Figure1Analysis.Findings(runs).Single(f => f.Contains("random labels took", StringComparison.Ordinal));
        Assert.Equal("✗ mlp-1x512: random labels took 2.5× the steps of true labels (250 vs 100, mean over the seeds that fitted); 1 of 2 random labels seeds did not fit within the cap of 400 epochs and is left out (paper: a small constant factor, here at most 5×).", line);
    }

    [Fact]
    public void Every_finding_carries_a_verdict()
    {
        var runs = new[]
        {
            Run("figure1", Noise(0), 1, 0.85, stepsToFit: 100), Run("figure1", Noise(0.5), 1, 0.5, stepsToFit: 180),
            Run("figure1", Noise(1), 1, 0.1, stepsToFit: 200), Run("figure1", Base with { Inputs = InputMode.Gaussian }, 1, 0.1, stepsToFit: 50),
        };
        var findings = Figure1Analysis.Findings(runs);
        Assert.Equal(6, findings.Count);   // every mode fitted, the slowdown, the order, gaussian against random labels, 1b rising, 1c
        Assert.All(findings, f => Assert.True(f.StartsWith("✓ ", StringComparison.Ordinal) || f.StartsWith("✗ ", StringComparison.Ordinal), f));
        Assert.Contains("✓ mlp-1x512: gaussian inputs fitted in 50 steps, faster than random labels (200).", findings);
    }

    [Fact]
    public void Noise_levels_time_each_seed_against_its_own_true_label_run_and_count_an_unfitted_run_with_the_steps_it_ran()
    {
        var runs = new[]
        {
            Run("figure1", Noise(0, 1), 1, 0.80, stepsToFit: 100), Run("figure1", Noise(0, 2), 1, 0.90, stepsToFit: 200),
            Run("figure1", Noise(0.5, 1), 1, 0.50, stepsToFit: 150), Run("figure1", Noise(0.5, 2), 0.9, 0.40),   // seed 2 stopped at its cap: 4,000 steps
            Run("figure1", Base with { Inputs = InputMode.Gaussian }, 1, 0.1, stepsToFit: 10),                   // not a noise level
        };
        var levels = Figure1Analysis.NoiseLevels(runs);
        Assert.Equal([0.0, 0.5], levels.Select(l => l.P));
        Assert.Equal((1.0, 1.0, 2, true), (levels[0].RelativeTimeToFit.Min, levels[0].RelativeTimeToFit.Max, levels[0].Runs, levels[0].AllFitted));
        // seed 1: 150 / 100 = 1.5; seed 2: 4,000 / 200 = 20 (a lower bound, so not all fitted)
        Assert.Equal((1.5, 20.0, false), (levels[1].RelativeTimeToFit.Min, levels[1].RelativeTimeToFit.Max, levels[1].AllFitted));
        Assert.Equal(0.55, levels[1].TestError.Mean, 12);
        Assert.Equal(0.9, levels[1].ChanceError, 12);
    }

    [Fact]
    public void Modes_that_fit_before_true_labels_beyond_the_seeds_spread_differ_from_figure_1a_and_say_where_the_steps_go()
    {
        // true labels: 90% at step 100, 99% at 400, fitted at 700; random pixels: 90% at 50, 99% at 80, fitted at 100
        static double TrueLabels(int e) => e >= 70 ? 1 : e >= 40 ? 0.99 : e >= 10 ? 0.9 : 0.5;
        static double RandomPixels(int e) => e >= 10 ? 1 : e >= 8 ? 0.99 : e >= 5 ? 0.9 : 0.5;
        var runs = new[]
        {
            Run("figure1", Noise(0, 1), 1, 0.8, stepsToFit: 700, epochs: 70, curve: Epochs(70, 10, TrueLabels)),
            Run("figure1", Noise(0, 2), 1, 0.8, stepsToFit: 700, epochs: 70, curve: Epochs(70, 10, TrueLabels)),
            Run("figure1", Base with { Inputs = InputMode.Random, Seed = 1 }, 1, 0.1, stepsToFit: 100, epochs: 10, curve: Epochs(10, 10, RandomPixels)),
            Run("figure1", Base with { Inputs = InputMode.Random, Seed = 2 }, 1, 0.1, stepsToFit: 100, epochs: 10, curve: Epochs(10, 10, RandomPixels)),
            // shuffled pixels: 650 and 800 steps, within the true labels' spread... of one value, 700: not before them
            Run("figure1", Base with { Inputs = InputMode.Shuffled, Seed = 1 }, 1, 0.8, stepsToFit: 650),
            Run("figure1", Base with { Inputs = InputMode.Shuffled, Seed = 2 }, 1, 0.8, stepsToFit: 800),
        };
        Assert.Contains("✗ mlp-1x512: random pixels (100 steps) fitted before true labels (700 steps) — the reverse of the paper's Figure 1a, where true labels fit first. " +
            "Where the steps go (the step of 90%, 99% and 100% training accuracy, mean over seeds): true labels 100, 400, 700; random pixels 50, 80, 100: " +
            "true labels spend 86% of their steps on the last 10% of their training set.", Figure1Analysis.Findings(runs));

        var inOrder = Figure1Analysis.Findings([runs[0], runs[1], runs[4], runs[5]]);
        Assert.Contains("✓ mlp-1x512: true labels fitted first (700 steps; shuffled pixels 725 steps, seeds 650–800), as in the paper's Figure 1a.", inOrder);
    }

    [Fact]
    public void A_slowdown_that_falls_with_more_noise_differs_from_figure_1b_with_the_spread_over_seeds()
    {
        var runs = new[]
        {
            Run("figure1", Noise(0, 1), 1, 0.8, stepsToFit: 100), Run("figure1", Noise(0, 2), 1, 0.8, stepsToFit: 200),
            Run("figure1", Noise(0.2, 1), 1, 0.7, stepsToFit: 250), Run("figure1", Noise(0.2, 2), 1, 0.7, stepsToFit: 400),   // ×2.5, ×2.0
            Run("figure1", Noise(0.4, 1), 1, 0.6, stepsToFit: 150), Run("figure1", Noise(0.4, 2), 1, 0.6, stepsToFit: 360),   // ×1.5, ×1.8
            Run("figure1", Noise(1, 1), 1, 0.1, stepsToFit: 300), Run("figure1", Noise(1, 2), 1, 0.1, stepsToFit: 600),       // ×3.0, ×3.0
        };
        Assert.Contains("✗ mlp-1x512: time to fit is not monotone in the label noise: ×1.00 at 0, ×2.25 (2.00–2.50) at 0.2, ×1.65 (1.50–1.80) at 0.4, ×3.00 at 1 " +
            "(relative to true labels, mean and range over 2 seeds); the paper's Figure 1b rises with the noise. " +
            "The seeds of one level are up to 25% apart (at 0.2); the fall 0.2 → 0.4 is larger than the seeds' spread (their ranges do not overlap).", Figure1Analysis.Findings(runs));

        var rising = Figure1Analysis.Findings([.. runs.Where(r => r.Config.LabelNoise != 0.4)]);
        Assert.Contains("✓ mlp-1x512: time to fit rises with the label noise: ×1.00 at 0, ×2.25 (2.00–2.50) at 0.2, ×3.00 at 1 (relative to true labels, mean and range over 2 seeds), as in the paper's Figure 1b.", rising);
    }
}
