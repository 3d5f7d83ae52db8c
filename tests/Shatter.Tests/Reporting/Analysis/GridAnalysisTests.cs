using Shatter.Reporting.Analysis;
using Shatter.Training;
using static Shatter.Tests.Reporting.HandMadeRuns;

namespace Shatter.Tests.Reporting.Analysis;

public sealed class GridAnalysisTests
{
    static TrainConfig Mlp(int width, double noise, long seed) => new() { Model = $"mlp-1x{width}", LabelNoise = noise, Seed = seed, UntilFit = true, Epochs = 50 };

    /// <summary>width 64/512 (numeric, listed out of order) × randomization (categorical) × two seeds; one random-label seed at width 64 never fits.</summary>
    static IReadOnlyList<Shatter.Reporting.ReportRun> Grid()
    {
        var runs = new List<Shatter.Reporting.ReportRun>();
        foreach (var width in new[] { 512, 64 })
            foreach (var (name, p) in new[] { ("true labels", 0.0), ("random labels", 1.0) })
                foreach (var seed in new long[] { 1, 2 })
                {
                    bool fits = !(width == 64 && p == 1 && seed == 2);
                    long steps = (p == 1 ? 3000 : 1000) * 512 / width / (int)seed;
                    runs.Add(Run("w", Mlp(width, p, seed), fits ? 1 : 0.9, p == 1 ? 0.1 : 0.8, stepsToFit: fits ? steps : null,
                        curve: Epochs(fits ? 5 : 8, 10, e => 0.1 + e * 0.1), point: [("width", width.ToString()), ("randomization", name), ("seed", seed.ToString())]));
                }
        return runs;
    }

    [Fact]
    public void Axes_come_from_the_grid_points_without_the_seed_numeric_ones_sorted()
    {
        var axes = GridAnalysis.Axes(Grid());
        Assert.Equal(["width", "randomization"], axes.Select(a => a.Name));
        Assert.True(axes[0].Numeric);
        Assert.Equal(["64", "512"], axes[0].Labels);
        Assert.False(axes[1].Numeric);
        Assert.Equal(["true labels", "random labels"], axes[1].Labels);
    }

    [Fact]
    public void A_metric_against_an_axis_averages_the_seeds_and_counts_runs_without_a_value()
    {
        var runs = Grid();
        var width = GridAnalysis.Axes(runs)[0];
        var random = GridAnalysis.Groups(runs, ["randomization"]).Single(g => g.Point["randomization"] == "random labels");
        var points = GridAnalysis.Against(random.Runs, width, "steps_to_fit");
        Assert.Equal([64.0, 512], points.Select(p => p.X));
        Assert.Equal((24_000.0, 1, 1), (points[0].Value.Mean, points[0].Value.Count, points[0].Missing));  // seed 2 never fitted
        Assert.Equal((2_250.0, 1_500.0, 3_000.0), (points[1].Value.Mean, points[1].Value.Min, points[1].Value.Max));
    }

    [Fact]
    public void Findings_state_measurements_per_series_without_verdicts()
    {
        var runs = Grid();
        var findings = GridAnalysis.Findings(runs, GridAnalysis.Axes(runs), ["steps_to_fit"]);
        Assert.Equal("8 of 8 runs finished, over 4 grid points of width (2) × randomization (2).", findings[0]);
        Assert.Contains("randomization=random labels: steps to fit 24,000 at width 64 → 2,250 (1,500–3,000) at width 512; 1 run without a value (did not fit within the epoch cap).", findings);
        Assert.Contains("randomization=true labels: steps to fit 6,000 (4,000–8,000) at width 64 → 750 (500–1,000) at width 512.", findings);
        Assert.DoesNotContain(findings, f => f.Contains('✓') || f.Contains('✗'));
    }

    [Fact]
    public void Learning_curves_of_a_grid_point_align_its_seeds_on_steps()
    {
        var point = GridAnalysis.Groups(Grid(), ["width", "randomization"]).Single(g => g.Label == "width=64, randomization=random labels");
        var (_, train, _) = GridAnalysis.Curves(point.Runs);
        Assert.Equal(2, train.Single(p => p.X == 50).Runs);
        Assert.Equal(1, train.Single(p => p.X == 80).Runs);  // only the seed that never fitted ran 8 epochs
    }

    [Fact]
    public void A_grid_of_regressions_states_r_squared_not_accuracy_and_a_grid_over_tasks_a_plain_score()
    {
        static TrainConfig Table(int width) => new() { Dataset = "house-prices", Model = $"mlp-{width}", Epochs = 50 };
        IReadOnlyList<Shatter.Reporting.ReportRun> runs =
        [
            Run("r", Table(16), 0.95, -0.2, point: [("width", "16")]),
            Run("r", Table(64), 0.99, 0.61, point: [("width", "64")]),
        ];
        Assert.Equal(TaskScore.RSquared, GridAnalysis.ScoreOf(runs));
        var findings = GridAnalysis.Findings(runs, GridAnalysis.Axes(runs), ["test_accuracy", "generalization_gap"]);
        Assert.Contains("final test R² -0.2 at width 16 → 0.61 at width 64.", findings);
        Assert.Contains("generalization gap (train − test R²) 1.15 at width 16 → 0.38 at width 64.", findings);

        var mixed = runs.Append(Run("r", Mlp(64, 0, 1), 1, 0.8, point: [("width", "64")])).ToList();
        Assert.Equal(TaskScore.Mixed, GridAnalysis.ScoreOf(mixed));
        Assert.Equal("final test score", GridAnalysis.MetricTitle("test_accuracy", GridAnalysis.ScoreOf(mixed)));
    }
}
