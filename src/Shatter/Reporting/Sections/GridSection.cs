using Shatter.Experiments;
using Shatter.Reporting.Analysis;
using Shatter.Results;
using Shatter.Training;

namespace Shatter.Reporting.Sections;

/// <summary>
/// The generic section of a spec, drawn from its own grid without configuration: learning curves per grid
/// point (seeds aggregated on a common step axis, min–max band), one panel per value of the first axis;
/// each final metric against each axis (lines for numeric axes, grouped bars for categorical ones), one
/// series per value of the other axes; the runs table with the axes as columns, sortable, and as CSV. A
/// spec's <c>report:</c> hints (x, series, panels, metrics) override the defaults. For a paper spec with
/// axes beyond the paper's (<paramref name="onlyAxes"/>), only the metric plots of those axes are drawn.
/// </summary>
public sealed class GridSection(string spec, IReadOnlyList<string>? onlyAxes = null) : IReportSection
{
    /// <summary>The axes each paper spec's dedicated section already shows.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> PaperAxes = new Dictionary<string, string[]>
    {
        ["figure1"] = ["model", "randomization"],
        ["table1"] = ["model", "regularization"],
        ["figure2"] = ["model"],
    };

    public string? Experiment => spec;
    public string Title => onlyAxes is null ? $"Experiment {spec}" : $"{spec}: the axes beyond the paper's ({string.Join(", ", onlyAxes)})";

    public bool Applies(ReportContext context) => context.RunsOf(spec).Count > 0;

    /// <summary>The generic sections a context needs: one per user spec, and one per paper spec whose grid has extra axes of two or more values.</summary>
    public static IEnumerable<GridSection> For(ReportContext context)
    {
        foreach (var name in context.Specs)
        {
            if (!PaperAxes.TryGetValue(name, out var paper)) { yield return new GridSection(name); continue; }
            var extra = GridAnalysis.Axes(context.RunsOf(name)).Where(a => a.Labels.Count >= 2 && !paper.Contains(a.Name)).Select(a => a.Name).ToList();
            if (extra.Count > 0) yield return new GridSection(name, extra);
        }
    }

    public IReadOnlyList<string> Write(ReportContext context, ReportWriter w)
    {
        var runs = context.RunsOf(spec);
        var hints = context.HintsOf(spec) ?? new ReportHints();
        var axes = GridAnalysis.Axes(runs);
        var varied = axes.Where(a => a.Labels.Count >= 2).ToList();
        var metrics = hints.Metrics is { Count: > 0 } m ? m : ReportHints.MetricNames;
        w.Heading(2, Title);
        w.Paragraph($"{runs.Count} runs of spec {spec} on {ReportText.Join(runs.Select(r => r.Config.Dataset))}; grid: " +
            $"{(axes.Count == 0 ? "a single point" : string.Join(" × ", axes.Select(a => $"{a.Name} ({string.Join(", ", a.Labels)})")))}" +
            $", seeds {ReportText.Join(runs.Select(r => r.Config.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture)))} (aggregated: mean with min–max band). What was measured, not verdicts: a user's experiment has no paper to be checked against.");

        var score = GridAnalysis.ScoreOf(runs);   // what the score columns hold: accuracy, R², …
        if (onlyAxes is null) LearningCurves(w, runs, varied, hints, score);
        var xAxes = (hints.X is { } x ? varied.Where(a => a.Name == x) : varied).Where(a => onlyAxes is null || onlyAxes.Contains(a.Name)).ToList();
        foreach (var axis in xAxes)
            foreach (var metric in metrics)
                MetricFigure(w, runs, axis, metric, varied, hints, score);
        if (onlyAxes is null) RunsTable(w, runs, axes);
        return GridAnalysis.Findings(runs, onlyAxes is null ? axes : [.. axes.Where(a => onlyAxes.Contains(a.Name))], hints.Metrics is { Count: > 0 } ? metrics : GridAnalysis.FindingMetrics);
    }

    void LearningCurves(ReportWriter w, IReadOnlyList<ReportRun> runs, IReadOnlyList<GridAxisInfo> varied, ReportHints hints, TaskScore score)
    {
        var panelAxis = hints.Panels is { } p ? varied.FirstOrDefault(a => a.Name == p) : varied.FirstOrDefault();
        var seriesAxes = varied.Where(a => a != panelAxis).Select(a => a.Name).ToList();
        var table = new CsvTable("panel", "series", "step", "train_loss", "train_loss_min", "train_loss_max", "train_accuracy", "train_accuracy_min", "train_accuracy_max", "test_accuracy", "test_accuracy_min", "test_accuracy_max", "runs");
        var panels = panelAxis is null ? [("all", (IReadOnlyList<ReportRun>)runs)]
            : panelAxis.Labels.Select(l => (l, (IReadOnlyList<ReportRun>)[.. runs.Where(r => r.Record.Point.GetValueOrDefault(panelAxis.Name) == l)])).ToList();
        int index = 0;
        foreach (var (label, of) in panels)
        {
            var title = panelAxis is null ? spec : $"{panelAxis.Name} = {label}";
            var loss = new Chart($"{spec}: training loss, {title}", "thousands of steps", "training loss");
            var acc = new Chart($"{spec}: {score.Name}, {title}", "thousands of steps", $"{score.Name} (solid: train, dashed: test)");
            int color = 0;
            foreach (var group in GridAnalysis.Groups(of, seriesAxes))
            {
                var (l, tr, te) = GridAnalysis.Curves(group.Runs);
                var name = seriesAxes.Count == 0 ? "mean over seeds" : group.Label;
                loss.Line(name, X(l), [.. l.Select(c => c.Mean)], [.. l.Select(c => c.Min)], [.. l.Select(c => c.Max)], colorIndex: color);
                acc.Line($"{name} train", X(tr), [.. tr.Select(c => c.Mean)], [.. tr.Select(c => c.Min)], [.. tr.Select(c => c.Max)], colorIndex: color);
                acc.Line($"{name} test", X(te), [.. te.Select(c => c.Mean)], [.. te.Select(c => c.Min)], [.. te.Select(c => c.Max)], dashed: true, colorIndex: color);
                for (int i = 0; i < l.Count && i < tr.Count && i < te.Count; i++)
                    table.Add(label, name, l[i].X, l[i].Mean, l[i].Min, l[i].Max, tr[i].Mean, tr[i].Min, tr[i].Max, te[i].Mean, te[i].Min, te[i].Max, l[i].Runs);
                color++;
            }
            if (score.IsFraction) acc.LimitsY(0, 1.02);   // R² and 1 − MSE/variance go below 0
            w.Figure(loss, $"{spec}-loss-{index}", $"Training loss against steps, {title}: one line per grid point ({(seriesAxes.Count == 0 ? "all runs" : string.Join(", ", seriesAxes))}), mean over seeds aligned on steps with a min–max band.");
            w.Figure(acc, $"{spec}-accuracy-{index}", $"Training (solid) and test (dashed) {score.Name} against steps, {title}, measured after each epoch.");
            index++;
        }
        w.Table(table, $"{spec}-curves", null, show: false);
    }

    static double[] X(IReadOnlyList<CurvePoint> c) => [.. c.Select(p => p.X / 1000)];

    void MetricFigure(ReportWriter w, IReadOnlyList<ReportRun> runs, GridAxisInfo axis, string metric, IReadOnlyList<GridAxisInfo> varied, ReportHints hints, TaskScore score)
    {
        // series: the hinted axis, else every other varied axis; with a hinted series the remaining axes get a figure each
        var others = varied.Where(a => a != axis).Select(a => a.Name).ToList();
        var seriesAxes = hints.Series is { } s && others.Contains(s) ? [s] : others;
        var splitAxes = others.Except(seriesAxes).ToList();
        foreach (var (split, splitIndex) in GridAnalysis.Groups(runs, splitAxes).Select((g, i) => (g, i)))
        {
            var groups = GridAnalysis.Groups(split.Runs, seriesAxes);
            var series = groups.Select(g => (Label: seriesAxes.Count == 0 ? GridAnalysis.MetricTitle(metric, score) : g.Label, Points: GridAnalysis.Against(g.Runs, axis, metric))).ToList();
            if (series.All(x => x.Points.All(p => p.Value.Count == 0))) continue;  // e.g. steps to fit where nothing fitted
            var where = splitAxes.Count == 0 ? "" : $" ({split.Label})";
            var chart = new Chart($"{spec}: {GridAnalysis.MetricTitle(metric, score)} against {axis.Name}{where}", axis.Name, GridAnalysis.MetricTitle(metric, score));
            if (axis.Numeric)
                for (int i = 0; i < series.Count; i++)
                {
                    var pts = series[i].Points.Where(p => p.Value.Count > 0).ToList();
                    chart.Line(series[i].Label, [.. pts.Select(p => p.X)], [.. pts.Select(p => p.Value.Mean)], [.. pts.Select(p => p.Value.Min)], [.. pts.Select(p => p.Value.Max)], markers: true, colorIndex: i);
                }
            else
            {
                double[] At(IReadOnlyList<MetricPoint> pts, Func<Spread, double> f) =>
                    [.. axis.Labels.Select(l => pts.FirstOrDefault(p => p.Label == l) is { Value.Count: > 0 } p ? f(p.Value) : double.NaN)];
                chart.GroupedBars(axis.Labels, [.. series.Select(x => x.Label)],
                    [.. series.Select(x => At(x.Points, v => v.Mean))], [.. series.Select(x => At(x.Points, v => v.Min))], [.. series.Select(x => At(x.Points, v => v.Max))]);
            }
            var missing = series.Sum(x => x.Points.Sum(p => p.Missing));
            w.Figure(chart, $"{spec}-{metric}-vs-{axis.Name}{(splitAxes.Count == 0 ? "" : $"-{splitIndex}")}".Replace(' ', '_'),
                $"{GridAnalysis.MetricTitle(metric, score)} at the end of each run against {axis.Name}{where}, {(axis.Numeric ? "one line" : "one bar")} per {(seriesAxes.Count == 0 ? "axis value" : string.Join(", ", seriesAxes))}; mean over seeds with min–max {(axis.Numeric ? "band" : "whiskers")}." +
                (missing > 0 ? $" {missing} run{(missing == 1 ? "" : "s")} without a value {(missing == 1 ? "is" : "are")} left out{(metric == "steps_to_fit" ? " (did not fit within the epoch cap)" : "")}." : ""));
        }
    }

    void RunsTable(ReportWriter w, IReadOnlyList<ReportRun> runs, IReadOnlyList<GridAxisInfo> axes)
    {
        var columns = axes.Select(a => a.Name).Concat(["seed", "status", "outcome", "epochs", "steps_to_fit", "train_accuracy", "test_accuracy", "generalization_gap", "wall_seconds", "hash"]).ToArray();
        var table = new CsvTable(columns);
        foreach (var r in runs.OrderBy(r => r.Record.Order))
        {
            var cells = axes.Select(a => (object?)r.Record.Point.GetValueOrDefault(a.Name)).ToList();
            cells.AddRange([r.Config.Seed, r.Record.Status, r.Summary is null ? null : RunOutcome.Describe(r.Config, r.Summary), r.Summary?.Epochs,
                r.Summary?.StepsToFit, GridAnalysis.Metric(r, "train_accuracy"), GridAnalysis.Metric(r, "test_accuracy"), GridAnalysis.Metric(r, "generalization_gap"),
                GridAnalysis.Metric(r, "wall_seconds"), r.Record.Hash]);
            table.Add([.. cells]);
        }
        w.Table(table, $"{spec}-runs", "Every run of the spec with its grid point; click a column's header to sort by it.", sortable: true);
    }
}
