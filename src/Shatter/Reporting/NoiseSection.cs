using System.Globalization;
using System.Net;
using System.Text;
using ScottPlot;
using Shatter.Training;

namespace Shatter.Reporting;

/// <summary>
/// The report section of the structured-noise spec: test error and time to fit against P, one curve per
/// noise mode side by side, the realized transition matrix of each mode at its largest P as a heat map,
/// the table of points and the findings (<see cref="NoiseAnalysis"/>). Returns its HTML; writes its
/// figures (PNG, SVG) and tables (CSV) under the report folder and lists them.
/// </summary>
public static class NoiseSection
{
    public static string Write(IReadOnlyList<(TrainConfig Config, TrainSummary Summary)> runs, string outDir,
        List<string> figures, List<string> tables, List<string> findings)
    {
        var html = new StringBuilder();
        html.Append("<h2>Beyond the paper: structured label noise</h2>\n");
        html.Append("<p>Each training label is redrawn with probability P; the mode says where it goes (docs/beyond.md): uniform (the paper's), different, pair-flip (c → c+1), asymmetric (confusable classes), matrix, instance-dependent (Xia et al. 2020).</p>\n");
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
            Figure(html, figures, outDir, error.Save(outDir, $"noise-test-error-{model}"), $"noise-test-error-{model}", "Test error (true test labels) at the end of training against P, one curve per noise mode.");
            Figure(html, figures, outDir, time.Save(outDir, $"noise-time-to-fit-{model}"), $"noise-time-to-fit-{model}", "Steps until the training set is fitted, relative to the true-label run of the same model and seed (an unfitted run counts with the steps it ran: a lower bound).");
        }

        var table = new CsvTable("model", "mode", "label_noise", "runs", "realized_flip_rate", "test_error", "test_error_min", "test_error_max", "relative_time_to_fit", "all_fitted");
        foreach (var p in points)
            table.Add(p.Model, p.Mode, p.P, p.Runs, p.RealizedFlipRate.Mean, p.TestError.Mean, p.TestError.Min, p.TestError.Max,
                p.RelativeTimeToFit.Count > 0 ? p.RelativeTimeToFit.Mean : null, p.AllFitted);
        var path = Path.Combine(outDir, "tables", "noise.csv");
        AtomicFile.WriteAllText(path, table.ToCsv());
        tables.Add(path);
        html.Append("<p class=\"csv\">Every point: <a href=\"tables/noise.csv\">noise.csv</a></p>\n");

        // realized transition matrices: each mode at its largest P, summed over models and seeds
        foreach (var mode in modes)
        {
            var ofMode = runs.Where(r => r.Config.LabelNoise > 0 && NoiseAnalysis.ModeOf(r.Config) == mode).ToList();
            if (ofMode.Count == 0) continue;
            double pMax = ofMode.Max(r => r.Config.LabelNoise);
            var matrix = NoiseAnalysis.Transition(ofMode.Where(r => r.Config.LabelNoise == pMax).Select(r => r.Summary));
            if (matrix is null) continue;
            var name = $"noise-transition-{mode}";
            Figure(html, figures, outDir, HeatMap(matrix, string.Create(CultureInfo.InvariantCulture, $"Realized transition, {mode} noise at P = {pMax}"), outDir, name), name,
                "Fraction of training examples of each true class (row) that carry each label (column) after the noise.");
        }

        var lines = NoiseAnalysis.Findings(points);
        findings.AddRange(lines);
        html.Append("<h3>Findings</h3>\n<ul>");
        foreach (var l in lines) html.Append(CultureInfo.InvariantCulture, $"<li>{WebUtility.HtmlEncode(l)}</li>");
        html.Append("</ul>\n");
        return html.ToString();
    }

    static void Figure(StringBuilder html, List<string> figures, string outDir, byte[] png, string name, string caption)
    {
        figures.Add(Path.Combine(outDir, "figures", name + ".png"));
        figures.Add(Path.Combine(outDir, "figures", name + ".svg"));
        html.Append(CultureInfo.InvariantCulture, $"<figure><img alt=\"{WebUtility.HtmlEncode(name)}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\"><figcaption>{WebUtility.HtmlEncode(caption)} (<a href=\"figures/{name}.svg\">SVG</a>, <a href=\"figures/{name}.png\">PNG</a>)</figcaption></figure>\n");
    }

    /// <summary>A C×C heat map (row 0 at the top), saved as PNG and SVG; returns the PNG.</summary>
    static byte[] HeatMap(double[,] matrix, string title, string outDir, string name)
    {
        var plot = new Plot();
        plot.Font.Automatic();
        plot.Title(title);
        plot.XLabel("noisy label");
        plot.YLabel("true class");
        // ScottPlot draws data row 0 at the top, at the largest y: flip so true class r sits at y = r
        int c = matrix.GetLength(0);
        var display = new double[c, c];
        for (int i = 0; i < c; i++)
            for (int j = 0; j < c; j++)
                display[i, j] = matrix[c - 1 - i, j];
        var map = plot.Add.Heatmap(display);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        map.ManualRange = new ScottPlot.Range(0, 1);
        plot.Add.ColorBar(map);
        plot.Axes.SetLimits(-0.5, c - 0.5, -0.5, c - 0.5);
        const int side = 560;
        var png = plot.GetImageBytes(side + 80, side, ImageFormat.Png);
        AtomicFile.Write(Path.Combine(outDir, "figures", name + ".png"), s => s.Write(png));
        AtomicFile.WriteAllText(Path.Combine(outDir, "figures", name + ".svg"), plot.GetSvgXml(side + 80, side));
        return png;
    }
}
