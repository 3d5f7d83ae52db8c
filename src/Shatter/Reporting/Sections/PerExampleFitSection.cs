using System.Globalization;
using Shatter.Corruptions;

namespace Shatter.Reporting.Sections;

/// <summary>Per-example fit (any run with 0 &lt; label noise &lt; 1): when clean and corrupted examples are first fitted for good.</summary>
public sealed class PerExampleFitSection : IReportSection
{
    public string? Experiment => null;
    public string Title => "Per-example fit: clean versus corrupted examples";

    static List<ReportRun> Noisy(ReportContext context) =>
        [.. context.Distinct.Where(r => r.Done && r.Config.LabelNoise is > 0 and < 1 && r.Config.Inputs == InputMode.True)
            .GroupBy(r => (r.Model, r.Config.LabelNoise)).Select(g => g.OrderBy(r => r.Config.Seed).First())
            .OrderBy(r => r.Model).ThenBy(r => r.Config.LabelNoise)];

    public bool Applies(ReportContext context) => Noisy(context).Count > 0;

    public IReadOnlyList<string> Write(ReportContext context, ReportWriter w)
    {
        w.Heading(2, Title);
        var chart = new Chart("When examples are first fitted for good", "epoch", "fraction of examples fitted");
        var table = new CsvTable("model", "label_noise", "seed", "group", "examples", "median_first_fit_epoch", "never_fitted");
        int color = 0;
        foreach (var r in Noisy(context))
        {
            var examples = r.Examples;
            if (examples.Count == 0) continue;
            int last = Math.Max(1, r.Summary!.Epochs);
            foreach (var (group, dashed) in new[] { ("clean", false), ("corrupted", true) })
            {
                var of = examples.Where(x => x.LabelChanged == (group == "corrupted")).ToList();
                if (of.Count == 0) continue;
                var xs = Enumerable.Range(0, last + 1).Select(e => (double)e).ToArray();
                var ys = xs.Select(e => of.Count(x => x.FirstFitEpoch >= 0 && x.FirstFitEpoch <= e) / (double)of.Count).ToArray();
                chart.Line($"{r.Model} p={r.Config.LabelNoise.ToString(CultureInfo.InvariantCulture)} {group}", xs, ys, dashed: dashed, colorIndex: color);
                var fitted = of.Where(x => x.FirstFitEpoch >= 0).Select(x => x.FirstFitEpoch).Order().ToList();
                table.Add(r.Model, r.Config.LabelNoise, r.Config.Seed, group, of.Count, fitted.Count == 0 ? null : fitted[fitted.Count / 2], of.Count - fitted.Count);
            }
            color++;
        }
        chart.LimitsY(0, 1.02);
        w.Figure(chart, "per-example-fit", "Fraction of training examples that are classified correctly from that epoch on, clean (solid) versus corrupted labels (dashed): the network fits the clean examples first and memorises the corrupted ones later.");
        w.Table(table, "per-example-fit", null);
        return [];
    }
}
