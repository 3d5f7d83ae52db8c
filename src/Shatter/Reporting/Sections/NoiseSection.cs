using System.Globalization;
using Shatter.Reporting.Analysis;

namespace Shatter.Reporting.Sections;

/// <summary>
/// The report section of the structured-noise spec (noise, beyond the paper): test error and time to fit against P,
/// one curve per noise mode side by side, the realized transition matrix of each mode at its largest P as a heat map,
/// the table of points (noise.csv) and the findings (<see cref="NoiseAnalysis"/>, pure functions).
/// </summary>
public sealed class NoiseSection : IReportSection
{
    public string? Experiment => "noise";
    public string Title => "Beyond the paper: structured label noise";

    public bool Applies(ReportContext context) => context.RunsOf("noise").Count > 0;

    public IReadOnlyList<string> Write(ReportContext context, ReportWriter w)
    {
        var runs = context.RunsOf("noise").Where(r => r.Done).Select(r => (r.Config, r.Summary!)).ToList();
        w.Heading(2, Title);
        w.Paragraph("Each training label is redrawn with probability P; the mode says where it goes (docs/beyond.md): uniform (the paper's), different, pair-flip (c → c+1), asymmetric (confusable classes), matrix, instance-dependent (Xia et al. 2020).");
        var points = NoiseAnalysis.Points(runs);
        var models = points.Select(p => p.Model).Distinct().ToList();
        var modes = points.Select(p => p.Mode).Distinct().ToList();
        foreach (var model in models)
        {
            var error = new Chart($"Test error against label noise ({model})", "P (probability a label is redrawn)", "test error");
            var time = new Chart($"Time to fit against label noise ({model})", "P (probability a label is redrawn)", "steps to fit / steps to fit true labels");
            for (int m = 0; m < modes.Count; m++)
            {
                var line = points.Where(p => p.Model == model && p.Mode == modes[m]).OrderBy(p => p.P).ToList();
                error.Line(modes[m], [.. line.Select(p => p.P)], [.. line.Select(p => p.TestError.Mean)], [.. line.Select(p => p.TestError.Min)], [.. line.Select(p => p.TestError.Max)], markers: true, colorIndex: m);
                var timed = line.Where(p => p.RelativeTimeToFit.Count > 0).ToList();
                time.Line(modes[m], [.. timed.Select(p => p.P)], [.. timed.Select(p => p.RelativeTimeToFit.Mean)], [.. timed.Select(p => p.RelativeTimeToFit.Min)], [.. timed.Select(p => p.RelativeTimeToFit.Max)], markers: true, colorIndex: m);
            }
            w.Figure(error, $"noise-test-error-{model}", "Test error (true test labels) at the end of training against P, one curve per noise mode.");
            w.Figure(time, $"noise-time-to-fit-{model}", "Steps until the training set is fitted, relative to the true-label run of the same model and seed (an unfitted run counts with the steps it ran: a lower bound).");
        }

        var table = new CsvTable("model", "mode", "label_noise", "runs", "realized_flip_rate", "test_error", "test_error_min", "test_error_max", "relative_time_to_fit", "all_fitted");
        foreach (var p in points)
            table.Add(p.Model, p.Mode, p.P, p.Runs, p.RealizedFlipRate.Mean, p.TestError.Mean, p.TestError.Min, p.TestError.Max,
                p.RelativeTimeToFit.Count > 0 ? p.RelativeTimeToFit.Mean : null, p.AllFitted);
        w.Table(table, "noise", "Every point: model, mode and P, the realized flip rate, test error (mean, min, max over seeds) and relative time to fit.", show: false);

        // realized transition matrices: each mode at its largest P, summed over models and seeds
        foreach (var (mode, pMax, matrix) in NoiseAnalysis.Transitions(runs))
        {
            var heat = new Chart(string.Create(CultureInfo.InvariantCulture, $"Realized transition, {mode} noise at P = {pMax}"), "noisy label", "true class");
            heat.HeatMap(matrix, 0, 1);
            w.Figure(heat, $"noise-transition-{mode}", "Fraction of training examples of each true class (row) that carry each label (column) after the noise.");
        }

        return NoiseAnalysis.Findings(points);
    }
}
