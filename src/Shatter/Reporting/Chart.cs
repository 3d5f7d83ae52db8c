using System.Text;
using ScottPlot;
using SkiaSharp;

namespace Shatter.Reporting;

/// <summary>
/// One chart of the report (ScottPlot): line series with an optional min–max band (the spread over seeds),
/// reference lines, grouped bars or a heat map, saved as PNG and SVG; the PNG bytes are embedded in the HTML page.
/// Every series has its own look: a colour group (20 distinct colours), solid or dashed, and a marker shape, so two
/// series never share a legend entry's look. Markers on dashed lines are open: Skia's SVG backend cannot fill a shape
/// drawn with a dash effect and prints "Unsupported path effect in addPaint." to stderr for each. The text is drawn
/// in a font that has every character of the chart's labels.
/// </summary>
public sealed class Chart
{
    public const int Width = 960, Height = 500;

    /// <summary>20 distinct colours: Category10, then the lighter ten of Category20.</summary>
    static readonly Color[] Palette = [.. new ScottPlot.Palettes.Category10().Colors, .. new ScottPlot.Palettes.Category20().Colors.Where((_, i) => i % 2 == 1)];
    static readonly MarkerShape[] Filled = [MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond, MarkerShape.FilledTriangleDown];
    static readonly MarkerShape[] Open = [MarkerShape.OpenCircle, MarkerShape.OpenSquare, MarkerShape.OpenTriangleUp, MarkerShape.OpenDiamond, MarkerShape.OpenTriangleDown];
    /// <summary>Sans-serif families tried first for the chart's text; else the system's match for a missing character.</summary>
    static readonly string[] Families = ["DejaVu Sans", "Noto Sans", "Liberation Sans", "Arial", "Helvetica"];
    const float MarkerSize = 7;

    readonly Plot plot = new();
    readonly List<ChartSeries> legend = [];
    readonly List<string> texts = [];
    int series;

    public Chart(string title, string xLabel, string yLabel)
    {
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        texts.AddRange([title, xLabel, yLabel]);
    }

    public int Series => series;

    /// <summary>The legend's entries in order: lines, references and bar series.</summary>
    public IReadOnlyList<ChartSeries> Legend => legend;

    /// <summary>Every text the chart draws besides the numbers: title, axis labels, legend labels, category names.</summary>
    public IReadOnlyList<string> Texts => texts;

    /// <summary>
    /// Adds a line; <paramref name="low"/>/<paramref name="high"/> draw a band around it (seeds' spread). Series given one
    /// <paramref name="colorIndex"/> share a colour (e.g. train and test of one model) and differ in marker; by default each
    /// series gets the next colour; a plain line whose colour another plain line has gets markers (about a dozen along it).
    /// </summary>
    public void Line(string label, double[] xs, double[] ys, double[]? low = null, double[]? high = null, bool dashed = false, bool markers = false, int? colorIndex = null)
    {
        if (xs.Length == 0) return;
        var pattern = dashed ? LinePattern.Dashed : LinePattern.Solid;
        int group = colorIndex ?? series;
        var color = Palette[group % Palette.Length];
        // markers where asked, and on a line whose colour and pattern another line without markers already has
        bool shown = markers || legend.Any(l => l.Color == color.ToStringRGB() && l.Marker == MarkerShape.None && l.Pattern == Name(pattern));
        var shape = shown ? Shape(group, color, dashed, Name(pattern)) : MarkerShape.None;
        if (low is not null && high is not null && low.Zip(high).Any(p => p.First != p.Second))
        {
            var band = plot.Add.FillY(xs, low, high);
            band.FillColor = color.WithAlpha(0.2);
            band.LineWidth = 0;
        }
        var line = plot.Add.Scatter(xs, ys);
        line.Color = color;
        line.LineWidth = 2;
        line.MarkerShape = shape;
        line.MarkerSize = markers ? MarkerSize : 0;
        line.LinePattern = pattern;
        if (shown && !markers)
        {
            // a dozen markers along a dense curve tell it from its twin
            int every = Math.Max(1, xs.Length / 12);
            var marks = plot.Add.Scatter(xs.Where((_, i) => i % every == 0).ToArray(), ys.Where((_, i) => i % every == 0).ToArray());
            marks.LineWidth = 0;
            marks.MarkerShape = shape;
            marks.MarkerSize = MarkerSize;
            marks.Color = color;
        }
        AddLegend(label, color, shown ? shape : MarkerShape.None, pattern, 2);
        series++;
    }

    /// <summary>A horizontal reference line (e.g. the best test accuracy seen), dotted in the PNG.</summary>
    public void Reference(string label, double y, int colorIndex)
    {
        var color = Palette[colorIndex % Palette.Length].WithAlpha(0.7);
        var line = plot.Add.HorizontalLine(y);
        line.Color = color;
        line.LinePattern = LinePattern.Dotted;
        line.LineWidth = 1.5f;
        AddLegend(label, color, MarkerShape.None, LinePattern.Dotted, 1.5f);
    }

    public void LimitsY(double low, double high) => plot.Axes.SetLimitsY(low, high);

    /// <summary>
    /// Grouped bars for a categorical axis: <paramref name="values"/>[s][c] is series s at category c (NaN: no bar),
    /// drawn side by side within each category, with a min–max whisker where <paramref name="low"/>/<paramref name="high"/> differ.
    /// </summary>
    public void GroupedBars(IReadOnlyList<string> categories, IReadOnlyList<string> seriesLabels, double[][] values, double[][] low, double[][] high)
    {
        int n = Math.Max(1, seriesLabels.Count);
        double width = 0.8 / n;
        for (int s = 0; s < seriesLabels.Count; s++)
        {
            var color = Palette[s % Palette.Length];
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
            legend.Add(new ChartSeries(seriesLabels[s], color.ToStringRGB(), MarkerShape.FilledSquare, "solid"));
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = seriesLabels[s], FillColor = color });
            texts.Add(seriesLabels[s]);
            series++;
        }
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int c = 0; c < categories.Count; c++) ticks.AddMajor(c, categories[c]);
        texts.AddRange(categories);
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

    /// <summary>The font family the chart draws its text in: the first of <see cref="Families"/> with every character of <see cref="Texts"/>.</summary>
    public string FontFamily()
    {
        var needed = texts.SelectMany(t => t.EnumerateRunes()).Where(r => !Rune.IsWhiteSpace(r) && !Rune.IsControl(r)).Distinct().ToList();
        foreach (var family in Families)
            if (Missing(family, needed).Count == 0) return family;
        // none of them: the family the system offers for the first character the default font lacks
        var first = Missing(Fonts.Default, needed).FirstOrDefault();
        if (first == default) return Fonts.Default;
        using var matched = SKFontManager.Default.MatchCharacter(first.Value);
        return matched?.FamilyName ?? Fonts.Default;
    }

    /// <summary>The characters of <paramref name="texts"/> that <paramref name="family"/> has no glyph for (all of them when it is not installed).</summary>
    public static IReadOnlyList<Rune> MissingGlyphs(string family, IEnumerable<string> texts) =>
        Missing(family, [.. texts.SelectMany(t => t.EnumerateRunes()).Where(r => !Rune.IsWhiteSpace(r) && !Rune.IsControl(r)).Distinct()]);

    static List<Rune> Missing(string family, IReadOnlyList<Rune> runes)
    {
        using var typeface = SKTypeface.FromFamilyName(family);
        // Skia substitutes another family for one that is not installed
        if (typeface is null || !string.Equals(typeface.FamilyName, family, StringComparison.OrdinalIgnoreCase)) return [.. runes];
        return [.. runes.Where(r => !typeface.ContainsGlyph(r.Value))];
    }

    /// <summary>Writes figures/NAME.png and figures/NAME.svg under <paramref name="outDir"/> and returns the PNG bytes.</summary>
    public byte[] Save(string outDir, string name)
    {
        var family = FontFamily();
        plot.Font.Set(family);
        plot.Legend.FontName = family;
        foreach (var item in plot.Legend.ManualItems) item.LabelFontName = family;
        if (series > 1) plot.ShowLegend(Edge.Right);  // outside the data area, so it never hides a curve
        else plot.HideLegend();                       // one series: its name is in the title or caption
        if (series == 0) plot.Add.Annotation("no finished runs to plot");
        var png = plot.GetImageBytes(Width, Height, ImageFormat.Png);
        var svg = plot.GetSvgXml(Width, Height);
        AtomicFile.Write(Path.Combine(outDir, "figures", name + ".png"), s => s.Write(png));
        AtomicFile.WriteAllText(Path.Combine(outDir, "figures", name + ".svg"), svg);
        return png;
    }

    /// <summary>A marker for a series of <paramref name="color"/> that no earlier series of that colour and pattern has (open ones on dashed lines, see the class).</summary>
    MarkerShape Shape(int group, Color color, bool open, string pattern)
    {
        var shapes = open ? Open : Filled;
        int start = group / Palette.Length;  // past 20 groups the colours come round again, with the next marker
        var hex = color.ToStringRGB();
        for (int k = 0; k < shapes.Length; k++)
        {
            var shape = shapes[(start + k) % shapes.Length];
            if (!legend.Any(l => l.Color == hex && l.Marker == shape && l.Pattern == pattern)) return shape;
        }
        return shapes[start % shapes.Length];
    }

    static string Name(LinePattern pattern) =>
        pattern.Equals(LinePattern.Dashed) ? "dashed" : pattern.Equals(LinePattern.Dotted) ? "dotted" : "solid";

    void AddLegend(string label, Color color, MarkerShape marker, LinePattern pattern, float width)
    {
        legend.Add(new ChartSeries(label, color.ToStringRGB(), marker, Name(pattern)));
        plot.Legend.ManualItems.Add(new LegendItem
        {
            LabelText = label, LineColor = color, LineWidth = width, LinePattern = pattern,
            MarkerShape = marker, MarkerSize = marker == MarkerShape.None ? 0 : MarkerSize, MarkerColor = color,
        });
        texts.Add(label);
    }
}
