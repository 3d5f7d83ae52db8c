using Shatter.Reporting.Analysis;

namespace Shatter.Reporting.Sections;

/// <summary>
/// The report section of the reinforcement-learning spec (experiments/rl.yaml; issue 21): the generalization gap against the
/// number of training levels, one curve per randomization (true levels, random goal, shuffled cells), training-level and
/// new-level success, rl.csv, and findings beside Zhang, Vinyals, Munos and Bengio (2018) and Cobbe et al. (2019)
/// (<see cref="RlAnalysis"/>, pure functions).
/// </summary>
public sealed class RlSection : IReportSection
{
    public string? Experiment => "rl";
    public string Title => "Beyond supervised learning: do maze agents memorize their levels?";

    public bool Applies(ReportContext context) => context.RunsOf("rl").Count > 0;

    public IReadOnlyList<string> Write(ReportContext context, ReportWriter w)
    {
        var runs = context.RunsOf("rl").Where(r => r.Done).Select(r => (r.Config, r.Summary!)).ToList();
        var points = RlAnalysis.Points(runs);
        w.Heading(2, Title);
        w.Paragraph("An actor-critic MLP trained by REINFORCE with a learned baseline on seeded 7×7 grid mazes (docs/beyond-supervised.md), "
            + "on N fixed training levels or a fresh level per episode (unlimited), until its success rate on the training levels reaches the spec's target. "
            + "Success is measured with sampled actions on the training levels and on new levels (none with a training level's layout); return is the mean discounted return (γ = 0.99). "
            + "Random goal: the goal is hidden and sits at a random cell of each level (the random-label analogue); shuffled cells: one fixed permutation of the grid's cells in every observation.");
        double fixedMax = points.Where(p => p.Levels > 0).Select(p => (double)p.Levels).DefaultIfEmpty(1).Max();
        double X(int levels) => levels == 0 ? Math.Log10(fixedMax) + 1 : Math.Log10(levels);
        var gap = new Chart("Generalization gap against the number of training levels", "log₁₀ training levels (unlimited: one decade past the largest)", "training − new-level success");
        var success = new Chart("Success on training and on new levels", "log₁₀ training levels (unlimited: one decade past the largest)", "success rate");
        int color = 0;
        foreach (var g in points.GroupBy(p => p.Randomization))
        {
            var line = g.OrderBy(p => RlAnalysis.Order(p.Levels)).ToList();
            double[] xs = [.. line.Select(p => X(p.Levels))];
            gap.Line(g.Key, xs, [.. line.Select(p => p.Gap.Mean)], [.. line.Select(p => p.Gap.Min)], [.. line.Select(p => p.Gap.Max)], markers: true, colorIndex: color);
            success.Line($"{g.Key}, training levels", xs, [.. line.Select(p => p.TrainSuccess.Mean)], markers: true, colorIndex: color);
            success.Line($"{g.Key}, new levels", xs, [.. line.Select(p => p.NewSuccess.Mean)], dashed: true, markers: true, colorIndex: color);
            color++;
        }
        w.Figure(gap, "rl-gap", "Training-level minus new-level success at the end of each run against the number of training levels, one colour per randomization (mean over seeds, min–max band).");
        w.Figure(success, "rl-success", "Success rate on the training levels (solid) and on new levels (dashed) at the end of each run.");
        var table = new CsvTable("randomization", "training_levels", "runs", "fitted", "episodes_to_fit", "train_success", "new_success", "gap", "train_return", "new_return");
        foreach (var p in points)
            table.Add(p.Randomization, p.Levels == 0 ? "unlimited" : p.Levels, p.Runs, p.Fitted, p.EpisodesToFit.Count > 0 ? p.EpisodesToFit.Mean : null,
                p.TrainSuccess.Mean, p.NewSuccess.Mean, p.Gap.Mean, p.TrainReturn.Mean, p.NewReturn.Mean);
        w.Table(table, "rl", "Every point: randomization and training levels, runs and how many fitted, episodes to fit (mean of the fitted runs), success rates, gap and mean discounted returns (means over seeds).");
        return RlAnalysis.Findings(points);
    }
}
