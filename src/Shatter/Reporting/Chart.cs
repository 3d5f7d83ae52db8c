using ScottPlot;

namespace Shatter.Reporting;

/// <summary>
/// One line chart of the report (ScottPlot): series with an optional min–max band (the spread over
/// seeds), saved as PNG and SVG; the PNG bytes are embedded in the HTML page.
/// </summary>
public sealed class Chart
{
    public const int Width = 960, Height = 500;
    readonly Plot plot = new();
    int series;

    public Chart(string title, string xLabel, string yLabel)
    {
        plot.Font.Automatic();  // a sans-serif font this machine has
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
    }

    public int Series => series;

    /// <summary>Adds a line; <paramref name="low"/>/<paramref name="high"/> draw a band around it (seeds' spread).</summary>
    public void Line(string label, double[] xs, double[] ys, double[]? low = null, double[]? high = null, bool dashed = false, bool markers = false, int? colorIndex = null)
    {
        if (xs.Length == 0) return;
        var color = new ScottPlot.Palettes.Category10().GetColor(colorIndex ?? series);
        if (low is not null && high is not null && low.Zip(high).Any(p => p.First != p.Second))
        {
            var band = plot.Add.FillY(xs, low, high);
            band.FillColor = color.WithAlpha(0.2);
            band.LineWidth = 0;
        }
        var line = plot.Add.Scatter(xs, ys);
        line.LegendText = label;
        line.Color = color;
        line.LineWidth = 2;
        line.MarkerSize = markers ? 7 : 0;
        if (dashed) line.LinePattern = LinePattern.Dashed;
        series++;
    }

    /// <summary>A horizontal reference line (e.g. the best test accuracy seen).</summary>
    public void Reference(string label, double y, int colorIndex)
    {
        var line = plot.Add.HorizontalLine(y);
        line.LegendText = label;
        line.Color = new ScottPlot.Palettes.Category10().GetColor(colorIndex).WithAlpha(0.7);
        line.LinePattern = LinePattern.Dotted;
        line.LineWidth = 1.5f;
    }

    public void LimitsY(double low, double high) => plot.Axes.SetLimitsY(low, high);

    /// <summary>
    /// Grouped bars for a categorical axis: <paramref name="values"/>[s][c] is series s at category c (NaN: no bar),
    /// drawn side by side within each category, with a min–max whisker where <paramref name="low"/>/<paramref name="high"/> differ.
    /// </summary>
    public void GroupedBars(IReadOnlyList<string> categories, IReadOnlyList<string> seriesLabels, double[][] values, double[][] low, double[][] high)
    {
        var palette = new ScottPlot.Palettes.Category10();
        int n = Math.Max(1, seriesLabels.Count);
        double width = 0.8 / n;
        for (int s = 0; s < seriesLabels.Count; s++)
        {
            var color = palette.GetColor(s);
            for (int c = 0; c < categories.Count; c++)
            {
                if (double.IsNaN(values[s][c])) continue;
                double x = c - 0.4 + width * (s + 0.5);
                plot.Add.Bar(new Bar { Position = x, Value = values[s][c], Size = width * 0.9, FillColor = color, LineWidth = 0 });
                if (low[s][c] != high[s][c])
                {
                    var whisker = plot.Add.Line(x, low[s][c], x, high[s][c]);
                    whisker.Color = Colors.Black;
                    whisker.LineWidth = 1.5f;
                }
            }
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = seriesLabels[s], FillColor = color });
            series++;
        }
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int c = 0; c < categories.Count; c++) ticks.AddMajor(c, categories[c]);
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.Margins(bottom: 0);
    }

    /// <summary>
    /// A heat map of <paramref name="matrix"/> (row r drawn at y = r, column c at x = c), coloured from
    /// <paramref name="low"/> to <paramref name="high"/>, with a colour bar.
    /// </summary>
    public void HeatMap(double[,] matrix, double low, double high)
    {
        // ScottPlot draws data row 0 at the top, at the largest y: flip so row r sits at y = r
        int rows = matrix.GetLength(0), cols = matrix.GetLength(1);
        var display = new double[rows, cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                display[i, j] = matrix[rows - 1 - i, j];
        var map = plot.Add.Heatmap(display);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        map.ManualRange = new ScottPlot.Range(low, high);
        plot.Add.ColorBar(map);
        plot.Axes.SetLimits(-0.5, cols - 0.5, -0.5, rows - 0.5);
        series = 1; // a plot, not an empty chart; no legend
    }

    /// <summary>Writes figures/NAME.png and figures/NAME.svg under <paramref name="outDir"/> and returns the PNG bytes.</summary>
    public byte[] Save(string outDir, string name)
    {
        if (series > 1) plot.ShowLegend(Edge.Right);  // outside the data area, so it never hides a curve
        if (series == 0) plot.Add.Annotation("no finished runs to plot");
        var png = plot.GetImageBytes(Width, Height, ImageFormat.Png);
        var svg = plot.GetSvgXml(Width, Height);
        AtomicFile.Write(Path.Combine(outDir, "figures", name + ".png"), s => s.Write(png));
        AtomicFile.WriteAllText(Path.Combine(outDir, "figures", name + ".svg"), svg);
        return png;
    }
}
