using Shatter.Environments;
using Shatter.Reporting;
using Shatter.Reporting.Analysis;
using Shatter.Tests.Data;
using Shatter.Training;

namespace Shatter.Tests.Reporting.Sections;

/// <summary>
/// The reinforcement-learning section on fabricated maze runs: points per randomization and level count (returns are the
/// negated loss columns, episodes to fit = steps × episodes per step), the findings with numbers worked out by hand here,
/// and the report's figures and rl.csv.
/// </summary>
public sealed class RlSectionTests
{
    static ReportRun Run(MazeRandomization maze, int levels, double train, double test, long? stepsToFit, long seed = 1) =>
        ReportRun.Of("rl", new Dictionary<string, string>(),
            new TrainConfig { Dataset = "maze", Model = "mlp-2x64", Maze = maze, TrainSize = levels, BatchSize = 32, Seed = seed },
            new TrainSummary
            {
                FinalTrainAccuracy = train, FinalTestAccuracy = test, FinalTrainLoss = -0.8 * train, FinalTestLoss = -0.8 * test,
                StepsToFit = stepsToFit, EpochsToFit = stepsToFit is { } s ? (int)(s / 10) : null, Steps = stepsToFit ?? 400,
                StopReason = stepsToFit is null ? "epochs" : "fit", Task = "maze",
            });

    static readonly ReportRun[] Runs =
    [
        Run(MazeRandomization.None, 10, 1.0, 0.5, 20),
        Run(MazeRandomization.None, 10, 0.9, 0.3, 40, seed: 2),
        Run(MazeRandomization.None, 100, 0.95, 0.7, 100),
        Run(MazeRandomization.None, 0, 0.9, 0.88, 300),
        Run(MazeRandomization.RandomGoal, 10, 0.92, 0.2, 60),
        Run(MazeRandomization.RandomGoal, 0, 0.3, 0.15, null),
        Run(MazeRandomization.ShuffledCells, 10, 0.95, 0.85, 30),
        Run(MazeRandomization.ShuffledCells, 0, 0.5, 0.1, null),
    ];

    static IReadOnlyList<RlPoint> Points() => RlAnalysis.Points([.. Runs.Select(r => (r.Config, r.Summary!))]);

    [Fact]
    public void Points_average_seeds_per_randomization_and_level_count_with_unlimited_last()
    {
        var points = Points();
        Assert.Equal([("true levels", 10), ("true levels", 100), ("true levels", 0), ("random goal", 10), ("random goal", 0), ("shuffled cells", 10), ("shuffled cells", 0)],
            points.Select(p => (p.Randomization, p.Levels)));
        var few = points[0];
        Assert.Equal((2, 2), (few.Runs, few.Fitted));
        Assert.Equal(0.95, few.TrainSuccess.Mean, 12);
        Assert.Equal(0.4, few.NewSuccess.Mean, 12);
        Assert.Equal((0.55, 0.5, 0.6), (Math.Round(few.Gap.Mean, 12), Math.Round(few.Gap.Min, 12), Math.Round(few.Gap.Max, 12)));
        Assert.Equal(960, few.EpisodesToFit.Mean);                 // (20 + 40) / 2 steps × 32 episodes
        Assert.Equal(0.76, few.TrainReturn.Mean, 12);              // −loss: 0.8 × 0.95
        Assert.Equal((1, 0, 0), (points[4].Runs, points[4].Fitted, points[4].EpisodesToFit.Count));
    }

    [Fact]
    public void Findings_compare_the_fewest_and_the_most_levels_with_both_anchors()
    {
        var findings = RlAnalysis.Findings(Points());
        Assert.Equal(8, findings.Count);
        // true levels: fitted 10 levels, gap 55% ≥ 20% (Zhang et al. 2018 ✓); the gap falls 55% → 25% → 2% (Cobbe et al. ✓)
        Assert.StartsWith("✓ true levels, 10 levels: fitted in 960 episodes; training-level success 95% (seeds 90%–100%) against 40% (seeds 30%–50%) on new levels (gap 55% (seeds 50%–60%)); Zhang, Vinyals, Munos and Bengio (2018)", findings[0]);
        Assert.StartsWith("✓ true levels: as levels grow, the gap (training − new success) closes, new-level success rising: 55% (seeds 50%–60%) at 10 levels, 25% at 100 levels, 2% at unlimited levels; new-level success 40% (seeds 30%–50%) → 88%; Cobbe et al. (2019)", findings[1]);
        // random goal: fitted 10 levels with a 72% gap ✓; 72% → 15%, but new-level success falls 20% → 15% ✗
        Assert.StartsWith("✓ random goal, 10 levels: fitted in 1,920 episodes; training-level success 92% against 20% on new levels (gap 72%)", findings[2]);
        Assert.StartsWith("✗ random goal: as levels grow, the gap (training − new success) closes only as training-level success falls (92% → 30%), not as new-level success rises: the many-level runs did not learn within their cap: 72% at 10 levels, 15% at unlimited levels; new-level success 20% → 15%", findings[3]);
        // shuffled cells: fitted but the gap is 10% < 20% ✗; 10% → 40%: does not close ✗
        Assert.StartsWith("✗ shuffled cells, 10 levels: fitted in 960 episodes; training-level success 95% against 85% on new levels (gap 10%)", findings[4]);
        Assert.StartsWith("✗ shuffled cells: as levels grow, the gap (training − new success) does not close: 10% at 10 levels, 40% at unlimited levels", findings[5]);
        // at unlimited levels: random goal 15%, 73 points under true levels' 88% on new levels ✓
        Assert.StartsWith("✓ at unlimited levels, a hidden random goal leaves new-level success at 15% against 88% with the goal shown; expected:", findings[6]);
        Assert.StartsWith("at unlimited levels, shuffled cells reach 50% training-level and 10% new-level success against 90% and 88% on true levels", findings[7]);
    }

    [Fact]
    public void A_hidden_goal_within_ten_points_of_the_shown_one_is_not_counted_as_agreement()
    {
        var findings = RlAnalysis.Findings(RlAnalysis.Points([(Runs[3].Config, Runs[3].Summary!), (Runs[5].Config, Runs[5].Summary! with { FinalTestAccuracy = 0.8 })]));
        Assert.StartsWith("✗ at unlimited levels, a hidden random goal leaves new-level success at 80% against 88% with the goal shown, less than 10 points apart: the true-level agent did not generalize either;", Assert.Single(findings));
    }

    [Fact]
    public void A_randomization_run_at_one_level_count_only_gets_no_trend_finding()
    {
        var findings = RlAnalysis.Findings(RlAnalysis.Points([(Runs[4].Config, Runs[4].Summary!)]));
        Assert.Equal("✓ random goal, 10 levels: fitted in 1,920 episodes; training-level success 92% against 20% on new levels (gap 72%); Zhang, Vinyals, Munos and Bengio (2018): agents reach optimal reward on their training mazes, randomized ones included, and fail on new ones.",
            Assert.Single(findings));
    }

    [Fact]
    public void The_rl_spec_gets_its_section_with_the_gap_figure_and_rl_csv()
    {
        using var folder = new TempFolder();
        var context = new ReportContext(folder["shatter.db"], "test", Runs, _ => null);
        var outcome = ReportBuilder.Build(context, folder["report"], experiment: "rl");
        Assert.Contains("<h2>Beyond supervised learning: do maze agents memorize their levels?</h2>", File.ReadAllText(outcome.HtmlPath));
        foreach (var figure in new[] { "rl-gap", "rl-success" })
            Assert.True(File.Exists(folder[$"report/figures/{figure}.png"]), figure);
        var csv = File.ReadAllLines(folder["report/tables/rl.csv"]);
        Assert.Equal("randomization,training_levels,runs,fitted,episodes_to_fit,train_success,new_success,gap,train_return,new_return", csv[0]);
        Assert.StartsWith("true levels,unlimited,1,1,9600,0.9,0.88,", csv[3]);
        var section = Assert.Single(outcome.Sections, s => s.Experiment == "rl" && s.Title.StartsWith("Beyond supervised learning", StringComparison.Ordinal));
        Assert.Equal(8, section.Findings.Count);
    }
}
