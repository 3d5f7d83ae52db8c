using Shatter.Corruptions;
using Shatter.Reporting;
using Shatter.Reporting.Analysis;
using Shatter.Training;

namespace Shatter.Tests.Reporting.Analysis;

public sealed class NoiseAnalysisTests
{
    static (TrainConfig, TrainSummary) Run(LabelNoiseMode mode, double p, long seed, long? stepsToFit, double testAccuracy, double flipped = 0, long[][]? transition = null) =>
        (new TrainConfig { LabelNoise = p, LabelNoiseMode = mode, Seed = seed },
         new TrainSummary { StepsToFit = stepsToFit, Steps = stepsToFit ?? 5000, FinalTestAccuracy = testAccuracy, FractionLabelsChanged = flipped, LabelTransition = transition });

    [Fact]
    public void Every_mode_curve_starts_at_the_true_label_runs_and_times_are_relative_to_the_same_seed()
    {
        var runs = new[]
        {
            Run(LabelNoiseMode.Uniform, 0, 1, 100, 0.9),
            Run(LabelNoiseMode.Uniform, 0, 2, 200, 0.8),
            Run(LabelNoiseMode.PairFlip, 0.4, 1, 300, 0.6, 0.4),
            Run(LabelNoiseMode.PairFlip, 0.4, 2, 400, 0.5, 0.4),
            Run(LabelNoiseMode.Instance, 0.4, 1, null, 0.4, 0.41), // did not fit: 5000 steps, a lower bound
        };
        var points = NoiseAnalysis.Points(runs);
        Assert.Equal(4, points.Count); // (pair-flip, instance) × (0, 0.4)
        var pair = points.Single(p => p.Mode == "pair-flip" && p.P == 0.4);
        Assert.Equal(2, pair.Runs);
        Assert.Equal((3.0 + 2.0) / 2, pair.RelativeTimeToFit.Mean, 12); // 300/100 and 400/200
        Assert.Equal(0.45, pair.TestError.Mean, 12);
        Assert.True(pair.AllFitted);
        var inst = points.Single(p => p.Mode == "instance" && p.P == 0.4);
        Assert.False(inst.AllFitted);
        Assert.Equal(50.0, inst.RelativeTimeToFit.Mean, 12);
        var start = points.Single(p => p.Mode == "instance" && p.P == 0);
        Assert.Equal(0.15, start.TestError.Mean, 12);
        var findings = NoiseAnalysis.Findings(points);
        Assert.Contains(findings, f => f.Contains("instance noise at P = 0.4") && f.Contains("did not fit in its budget, ≥ 50.0×"));
    }

    [Fact]
    public void Transition_sums_counts_over_runs_and_normalizes_each_row()
    {
        var a = new long[][] { [8, 2], [0, 10] };
        var b = new long[][] { [2, 8], [5, 5] };
        var m = NoiseAnalysis.Transition([new TrainSummary { LabelTransition = a }, new TrainSummary { LabelTransition = b }, new TrainSummary()])!;
        Assert.Equal(0.5, m[0, 0], 12);
        Assert.Equal(0.25, m[1, 0], 12);
        Assert.Equal(0.75, m[1, 1], 12);
        Assert.Null(NoiseAnalysis.Transition([new TrainSummary()]));
    }

    [Fact]
    public void Each_mode_shows_its_transition_at_its_largest_noise_and_a_mode_without_one_is_left_out()
    {
        long[][] low = [[9, 1], [1, 9]], high = [[6, 4], [4, 6]], more = [[2, 2], [2, 2]];
        var runs = new[]
        {
            Run(LabelNoiseMode.Uniform, 0, 1, 100, 0.9, transition: [[10, 0], [0, 10]]),   // P = 0: no mode's
            Run(LabelNoiseMode.PairFlip, 0.2, 1, 200, 0.8, 0.1, low),
            Run(LabelNoiseMode.PairFlip, 0.4, 1, 300, 0.6, 0.4, high),
            Run(LabelNoiseMode.PairFlip, 0.4, 2, 300, 0.6, 0.4, more),
            Run(LabelNoiseMode.Asymmetric, 0.4, 1, 300, 0.6, 0.3),                            // no transition recorded
        };
        var (mode, p, matrix) = Assert.Single(NoiseAnalysis.Transitions(runs));
        Assert.Equal(("pair-flip", 0.4), (mode, p));
        // seeds summed, rows normalized: (6 + 2) / 14 and (4 + 2) / 14
        Assert.Equal(8 / 14.0, matrix[0, 0], 12);
        Assert.Equal(6 / 14.0, matrix[0, 1], 12);
    }
}
