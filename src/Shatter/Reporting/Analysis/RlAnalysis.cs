using System.Globalization;
using Shatter.Environments;
using Shatter.Training;

namespace Shatter.Reporting.Analysis;

/// <summary>
/// One (randomization, number of training levels) point of the maze spec, over seeds: success rate and mean discounted
/// return on the training levels and on new levels at the end of each run, the gap (training − new success), the
/// episodes to fit (of the runs that fitted) and how many fitted. <see cref="Levels"/> 0 = unlimited.
/// </summary>
public sealed record RlPoint(string Randomization, int Levels, int Runs, Spread TrainSuccess, Spread NewSuccess, Spread TrainReturn, Spread NewReturn,
    Spread Gap, Spread EpisodesToFit, int Fitted)
{
    public bool AllFitted => Runs > 0 && Fitted == Runs;
}

/// <summary>
/// The analysis of experiments/rl.yaml (issue 21), pure functions of finished maze runs (<c>--dataset maze</c>; a run's
/// score columns hold success rates, its loss columns the negative mean return): points per randomization and level count,
/// and findings beside Zhang, Vinyals, Munos and Bengio (2018) — agents fit their training levels, randomized ones
/// included, and fail on new ones — and Cobbe et al. (ICML 2019) — the generalization gap closes as the number of training
/// levels grows.
/// </summary>
public static class RlAnalysis
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A gap at least this large (in success rate) counts as "failing on new levels" beside fitted training levels.</summary>
    public const double ClearGap = 0.2;

    /// <summary>New-level success at least this much higher with the goal shown than hidden counts as "the shown goal was used".</summary>
    public const double ClearMargin = 0.1;

    public const string TrueLevels = "true levels", RandomGoal = "random goal", ShuffledCells = "shuffled cells";

    public static string RandomizationOf(TrainConfig c) => c.Maze switch
    {
        MazeRandomization.RandomGoal => RandomGoal,
        MazeRandomization.ShuffledCells => ShuffledCells,
        _ => TrueLevels,
    };

    /// <summary>"10 levels", "unlimited levels".</summary>
    public static string LevelsName(int levels) => levels == 0 ? "unlimited levels" : levels.ToString("N0", Inv) + (levels == 1 ? " level" : " levels");

    /// <summary>Level counts in the order of the figure: fixed counts ascending, unlimited last.</summary>
    public static int Order(int levels) => levels == 0 ? int.MaxValue : levels;

    public static IReadOnlyList<RlPoint> Points(IReadOnlyList<(TrainConfig Config, TrainSummary Summary)> runs)
    {
        var points = new List<RlPoint>();
        var maze = runs.Where(r => r.Config.Dataset == Training.Tasks.MazeTask.DatasetName).ToList();
        foreach (var g in maze.GroupBy(r => (Randomization: RandomizationOf(r.Config), r.Config.TrainSize))
                     .OrderBy(g => Rank(g.Key.Randomization)).ThenBy(g => Order(g.Key.TrainSize)))
        {
            var at = g.ToList();
            var fitted = at.Where(r => r.Summary.Fitted).ToList();
            points.Add(new RlPoint(g.Key.Randomization, g.Key.TrainSize, at.Count,
                Spread.Of(at.Select(r => r.Summary.FinalTrainAccuracy)), Spread.Of(at.Select(r => r.Summary.FinalTestAccuracy)),
                Spread.Of(at.Select(r => -r.Summary.FinalTrainLoss)), Spread.Of(at.Select(r => -r.Summary.FinalTestLoss)),
                Spread.Of(at.Select(r => r.Summary.FinalTrainAccuracy - r.Summary.FinalTestAccuracy)),
                Spread.Of(fitted.Select(r => (double)r.Summary.StepsToFit!.Value * r.Config.BatchSize)), fitted.Count));
        }
        return points;
    }

    static int Rank(string randomization) => randomization switch { TrueLevels => 0, RandomGoal => 1, _ => 2 };

    /// <summary>
    /// Per randomization: (Zhang et al. 2018) at its fewest fixed levels, whether every run fitted them while new levels
    /// stayed at least <see cref="ClearGap"/> behind; (Cobbe et al. 2019) whether the gap at the most levels (unlimited where
    /// run) is smaller than at the fewest with new-level success rising (a gap that closes only because training-level
    /// success falls is said so, ✗). Then random goal against true levels on new levels at the most levels (✓ when at least
    /// <see cref="ClearMargin"/> apart), and shuffled cells against true levels.
    /// </summary>
    public static IReadOnlyList<string> Findings(IReadOnlyList<RlPoint> points)
    {
        var lines = new List<string>();
        foreach (var g in points.GroupBy(p => p.Randomization))
        {
            var fixedPoints = g.Where(p => p.Levels > 0).OrderBy(p => p.Levels).ToList();
            if (fixedPoints.Count > 0)
            {
                var few = fixedPoints[0];
                bool memorized = few.AllFitted && few.Gap.Mean >= ClearGap;
                lines.Add(string.Create(Inv,
                    $"{Mark(memorized)} {g.Key}, {LevelsName(few.Levels)}: {Fit(few)}; training-level success {Pct(few.TrainSuccess)} against {Pct(few.NewSuccess)} on new levels (gap {Pct(few.Gap)}); Zhang, Vinyals, Munos and Bengio (2018): agents reach optimal reward on their training mazes, randomized ones included, and fail on new ones."));
            }
            var ordered = g.OrderBy(p => Order(p.Levels)).ToList();
            if (ordered.Count > 1)
            {
                var (first, last) = (ordered[0], ordered[^1]);
                bool closes = last.Gap.Mean < first.Gap.Mean, rises = last.NewSuccess.Mean > first.NewSuccess.Mean;
                var curve = string.Join(", ", ordered.Select(p => string.Create(Inv, $"{Pct(p.Gap)} at {LevelsName(p.Levels)}")));
                var how = !closes ? "does not close"
                    : rises ? "closes, new-level success rising"
                    : string.Create(Inv, $"closes only as training-level success falls ({Pct(first.TrainSuccess)} → {Pct(last.TrainSuccess)}), not as new-level success rises: the many-level runs did not learn within their cap");
                lines.Add(string.Create(Inv,
                    $"{Mark(closes && rises)} {g.Key}: as levels grow, the gap (training − new success) {how}: {curve}; new-level success {Pct(first.NewSuccess)} → {Pct(last.NewSuccess)}; Cobbe et al. (2019): the gap shrinks as the number of training levels grows, new-level success rising towards training-level success."));
            }
        }
        var truth = Most(points, TrueLevels);
        var goal = Most(points, RandomGoal);
        if (truth is not null && goal is not null && truth.Levels == goal.Levels)
        {
            bool below = truth.NewSuccess.Mean - goal.NewSuccess.Mean >= ClearMargin;
            lines.Add(string.Create(Inv,
                $"{Mark(below)} at {LevelsName(truth.Levels)}, a hidden random goal leaves new-level success at {Pct(goal.NewSuccess)} against {Pct(truth.NewSuccess)} with the goal shown{(below ? "" : string.Create(Inv, $", less than {ClearMargin * 100:0} points apart: the true-level agent did not generalize either"))}; expected: nothing observed says where the reward is, as random labels leave nothing to generalize from (Zhang et al. 2017's random labels; 2018's randomized rewards)."));
        }
        var shuffled = Most(points, ShuffledCells);
        if (truth is not null && shuffled is not null && truth.Levels == shuffled.Levels)
            lines.Add(string.Create(Inv,
                $"at {LevelsName(truth.Levels)}, shuffled cells reach {Pct(shuffled.TrainSuccess)} training-level and {Pct(shuffled.NewSuccess)} new-level success against {Pct(truth.TrainSuccess)} and {Pct(truth.NewSuccess)} on true levels (an MLP's first layer does not see the grid's order; neither anchor tests this)."));
        return lines;
    }

    /// <summary>The point of a randomization with the most levels (unlimited first), or null.</summary>
    static RlPoint? Most(IReadOnlyList<RlPoint> points, string randomization) =>
        points.Where(p => p.Randomization == randomization).OrderBy(p => Order(p.Levels)).LastOrDefault();

    static string Mark(bool agrees) => agrees ? "✓" : "✗";

    static string Fit(RlPoint p) => p.AllFitted
        ? string.Create(Inv, $"fitted in {p.EpisodesToFit.Mean:N0} episodes")
        : string.Create(Inv, $"{p.Fitted} of {p.Runs} runs fitted");

    static string Pct(Spread s) => RunOutcome.Percent(s.Mean) + (s.Count > 1 && s.Min != s.Max ? $" (seeds {RunOutcome.Percent(s.Min)}–{RunOutcome.Percent(s.Max)})" : "");
}
