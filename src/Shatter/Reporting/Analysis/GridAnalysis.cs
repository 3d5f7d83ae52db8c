using System.Globalization;
using Shatter.Training;
using Shatter.Results;

namespace Shatter.Reporting.Analysis;

/// <summary>An axis of a spec's grid as its runs show it: labels in grid order, numeric when every label is a number.</summary>
public sealed record GridAxisInfo(string Name, IReadOnlyList<string> Labels, bool Numeric)
{
    public double Value(string label) => double.Parse(label, NumberStyles.Float, CultureInfo.InvariantCulture);
}

/// <summary>A group of runs sharing the labels of some axes: its label ("width=64, randomization=random labels") and its runs (seeds).</summary>
public sealed record GridGroup(string Label, IReadOnlyDictionary<string, string> Point, IReadOnlyList<ReportRun> Runs);

/// <summary>One point of a final metric against an axis: the axis label, its value (numeric axes), the seeds' spread, and how many runs had no value (e.g. never fitted).</summary>
public sealed record MetricPoint(string Label, double X, Spread Value, int Missing);

/// <summary>
/// The generic analysis of any spec's grid, pure functions of the runs (the axes come from the runs' grid
/// points, seeds are aggregated): learning curves per grid point on a common step axis, final metrics
/// against each axis, and findings that state what was measured — no verdicts, since a user's spec has
/// no paper to be checked against.
/// </summary>
public static class GridAnalysis
{
    public const string SeedAxis = "seed";

    /// <summary>The metrics the findings state by default (the figures show all of them).</summary>
    public static readonly IReadOnlyList<string> FindingMetrics = ["steps_to_fit", "train_accuracy", "test_accuracy"];

    /// <summary>The grid's axes other than seed, in the order the spec lists them, with their labels in grid order.</summary>
    public static IReadOnlyList<GridAxisInfo> Axes(IReadOnlyList<ReportRun> runs)
    {
        var ordered = runs.OrderBy(r => r.Record.Order).ToList();
        var names = ordered.SelectMany(r => r.Record.Point.Keys).Distinct().Where(n => n != SeedAxis).ToList();
        return [.. names.Select(n =>
        {
            var labels = ordered.Select(r => r.Record.Point.GetValueOrDefault(n)).OfType<string>().Distinct().ToList();
            bool numeric = labels.All(l => double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v));
            if (numeric) labels = [.. labels.OrderBy(l => double.Parse(l, NumberStyles.Float, CultureInfo.InvariantCulture))];
            return new GridAxisInfo(n, labels, numeric);
        })];
    }

    /// <summary>The runs grouped by their labels on <paramref name="axes"/> (every other axis and the seed pooled), in grid order.</summary>
    public static IReadOnlyList<GridGroup> Groups(IEnumerable<ReportRun> runs, IReadOnlyList<string> axes) =>
        [.. runs.OrderBy(r => r.Record.Order)
            .GroupBy(r => string.Join(", ", axes.Select(a => $"{a}={r.Record.Point.GetValueOrDefault(a, "–")}")))
            .Select(g => new GridGroup(axes.Count == 0 ? "all runs" : g.Key,
                axes.ToDictionary(a => a, a => g.First().Record.Point.GetValueOrDefault(a, "–")), [.. g]))];

    /// <summary>A final metric of a finished run (spec names of <see cref="ReportHints.MetricNames"/>); NaN when it has none (unfitted, unfinished).</summary>
    public static double Metric(ReportRun r, string metric)
    {
        if (r.Summary is not { } s || !r.Done) return double.NaN;
        return metric switch
        {
            "steps_to_fit" => s.StepsToFit is { } n ? n : double.NaN,
            "train_accuracy" => s.FinalTrainAccuracy,
            "test_accuracy" => s.FinalTestAccuracy,
            "generalization_gap" => s.FinalTrainAccuracy - s.FinalTestAccuracy,
            "wall_seconds" => s.WallSeconds,
            _ => throw new ArgumentException($"unknown metric {metric}", nameof(metric)),
        };
    }

    /// <summary>
    /// What the score columns of <paramref name="runs"/> hold (<see cref="TaskScore"/>: accuracy, R², success rate, …): their
    /// tasks' common score, <see cref="TaskScore.Mixed"/> for a grid over several tasks.
    /// </summary>
    public static TaskScore ScoreOf(IReadOnlyList<ReportRun> runs)
    {
        var scores = runs.Select(r => Training.Tasks.TrainingTasks.Of(r.Config).Score).Distinct().ToList();
        return scores.Count switch { 0 => TaskScore.Accuracy, 1 => scores[0], _ => TaskScore.Mixed };
    }

    /// <summary>A metric's name in titles and sentences, the score columns in <paramref name="score"/>'s terms.</summary>
    public static string MetricTitle(string metric, TaskScore score) => metric switch
    {
        "steps_to_fit" => "steps to fit",
        "train_accuracy" => $"final training {score.Name}",
        "test_accuracy" => $"final test {score.Name}",
        "generalization_gap" => $"generalization gap (train − test {score.Name})",
        "wall_seconds" => "wall time",
        _ => metric,
    };

    /// <summary>A metric of <paramref name="runs"/> (one series) at each label of <paramref name="axis"/>, over the seeds.</summary>
    public static IReadOnlyList<MetricPoint> Against(IReadOnlyList<ReportRun> runs, GridAxisInfo axis, string metric) =>
        [.. axis.Labels.Select((label, i) =>
        {
            var at = runs.Where(r => r.Record.Point.GetValueOrDefault(axis.Name) == label).ToList();
            var values = at.Select(r => Metric(r, metric)).ToList();
            return new MetricPoint(label, axis.Numeric ? axis.Value(label) : i, Spread.Of(values), values.Count(double.IsNaN));
        }).Where(p => p.Value.Count + p.Missing > 0)];

    /// <summary>Per group, training loss and training and test accuracy against steps, seeds aligned on steps.</summary>
    public static (IReadOnlyList<CurvePoint> Loss, IReadOnlyList<CurvePoint> Train, IReadOnlyList<CurvePoint> Test) Curves(IReadOnlyList<ReportRun> runs)
    {
        var done = runs.Where(r => r.Done).ToList();
        IReadOnlyList<CurvePoint> Of(Func<Training.EpochMetrics, double> f) =>
            StepCurves.Align([.. done.Select(r => (IReadOnlyList<(double, double)>)[.. r.Epochs.Select(e => ((double)e.Step, f(e)))])]);
        return (Of(e => e.TrainLoss), Of(e => e.TrainAccuracy), Of(e => e.TestAccuracy));
    }

    /// <summary>
    /// What was measured, one sentence per series, numeric axis and metric (<see cref="FindingMetrics"/> unless the
    /// spec's hints name others): the metric at the axis's first and last value (and between, for longer axes),
    /// and how many runs had none (did not fit within their cap, or did not finish). No ✓/✗.
    /// </summary>
    public static IReadOnlyList<string> Findings(IReadOnlyList<ReportRun> runs, IReadOnlyList<GridAxisInfo> axes, IReadOnlyList<string> metrics)
    {
        var lines = new List<string>();
        var score = ScoreOf(runs);
        var done = runs.Count(r => r.Done);
        var points = Groups(runs, [.. axes.Select(a => a.Name)]).Count;
        lines.Add($"{done} of {runs.Count} runs finished, over {points} grid point{(points == 1 ? "" : "s")} of {(axes.Count == 0 ? "no axis" : string.Join(" × ", axes.Select(a => $"{a.Name} ({a.Labels.Count})")))}.");
        foreach (var axis in axes.Where(a => a.Labels.Count >= 2 && a.Numeric))
        {
            var others = axes.Where(a => a != axis && a.Labels.Count >= 2).Select(a => a.Name).ToList();
            foreach (var group in Groups(runs, others))
                foreach (var metric in metrics)
                {
                    var pts = Against(group.Runs, axis, metric);
                    if (pts.Count < 2 || pts.All(p => p.Value.Count == 0)) continue;
                    var (first, last) = (pts[0], pts[^1]);
                    int missing = pts.Sum(p => p.Missing);
                    var where = others.Count == 0 ? "" : $"{group.Label}: ";
                    lines.Add($"{where}{MetricTitle(metric, score)} {Format(metric, first.Value, score)} at {axis.Name} {first.Label} → {Format(metric, last.Value, score)} at {axis.Name} {last.Label}" +
                        (axis.Labels.Count > 2 ? $" ({string.Join(", ", pts.Select(p => $"{p.Label}: {Format(metric, p.Value, score)}"))})" : "") +
                        (missing > 0 ? $"; {missing} run{(missing == 1 ? "" : "s")} without a value ({(metric == "steps_to_fit" ? "did not fit within the epoch cap" : "not finished")})" : "") + ".");
                }
        }
        return lines;
    }

    /// <summary>A metric's value for a sentence: scores as <paramref name="score"/> shows them (accuracies in %), steps and seconds as whole numbers, "–" for none.</summary>
    public static string Format(string metric, Spread s, TaskScore score)
    {
        if (s.Count == 0) return "–";
        string One(double v) => metric switch
        {
            "train_accuracy" or "test_accuracy" or "generalization_gap" => score.Short(v),
            "wall_seconds" => v.ToString("0.#", CultureInfo.InvariantCulture) + " s",
            _ => v.ToString("#,0", CultureInfo.InvariantCulture),
        };
        return s.Count > 1 && s.Min != s.Max ? $"{One(s.Mean)} ({One(s.Min)}–{One(s.Max)})" : One(s.Mean);
    }
}
