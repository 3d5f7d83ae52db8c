using System.Globalization;
using Shatter.Reporting.Analysis;

namespace Shatter.Reporting.Sections;

/// <summary>Per-example fit (any run with 0 &lt; label noise &lt; 1): when clean and corrupted examples are first fitted for good (<see cref="PerExampleFitAnalysis"/>).</summary>
public sealed class PerExampleFitSection : IReportSection
{
    public string? Experiment => null;
    public string Title => "Per-example fit: clean versus corrupted examples";

    public bool Applies(ReportContext context) => PerExampleFitAnalysis.Noisy(context.Distinct).Count > 0;

    public IReadOnlyList<string> Write(ReportContext context, ReportWriter w)
    {
        w.Heading(2, Title);
        var chart = new Chart("When examples are first fitted for good", "epoch", "fraction of examples fitted");
        var table = new CsvTable("model", "label_noise", "seed", "group", "examples", "median_first_fit_epoch", "never_fitted");
        var curves = PerExampleFitAnalysis.Curves(PerExampleFitAnalysis.Noisy(context.Distinct));
        var runs = curves.Select(c => (c.Model, c.LabelNoise)).Distinct().ToList();  // one colour per run, clean solid and corrupted dashed
        foreach (var c in curves)
        {
            chart.Line($"{c.Model} p={c.LabelNoise.ToString(CultureInfo.InvariantCulture)} {c.Group}", c.Epochs, c.Fitted, dashed: c.Group == "corrupted", colorIndex: runs.IndexOf((c.Model, c.LabelNoise)));
            table.Add(c.Model, c.LabelNoise, c.Seed, c.Group, c.Examples, c.MedianFirstFitEpoch, c.NeverFitted);
        }
        chart.LimitsY(0, 1.02);
        w.Figure(chart, "per-example-fit", "Fraction of training examples that are classified correctly from that epoch on, clean (solid) versus corrupted labels (dashed): the network fits the clean examples first and memorises the corrupted ones later.");
        w.Table(table, "per-example-fit", null);
        return [];
    }
}
