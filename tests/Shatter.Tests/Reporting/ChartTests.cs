using System.Text;
using ScottPlot;
using Shatter.Reporting;
using Shatter.Reporting.Analysis;

namespace Shatter.Tests.Reporting;

public sealed class ChartTests
{
    static double[] X => [0, 0.5, 1];

    [Fact]
    public void Eleven_measures_against_noise_get_eleven_colours()
    {
        var chart = new Chart("t", "x", "y");
        for (int i = 0; i < MeasuresAnalysis.Shown.Count; i++)
            chart.Line(MeasuresAnalysis.Shown[i].Label, X, [1, 1 + i, 2 + i], markers: true, colorIndex: i);
        Assert.Equal(11, chart.Legend.Count);
        Assert.Equal(11, chart.Legend.Select(s => s.Color).Distinct().Count());
    }

    [Fact]
    public void Series_that_share_a_colour_differ_in_their_marker_so_no_two_look_alike()
    {
        var chart = new Chart("t", "x", "y");
        chart.Line("a train", X, X, colorIndex: 0);
        chart.Line("a test", X, X, dashed: true, colorIndex: 0);
        chart.Line("a seed 2", X, X, colorIndex: 0);
        chart.Line("a seed 2 test", X, X, dashed: true, colorIndex: 0);
        for (int i = 0; i < 25; i++) chart.Line($"b{i}", X, X);   // past the 20 colours
        chart.Reference("chance", 0.1, 7);
        var looks = chart.Legend.Select(s => (s.Color, s.Marker, s.Pattern)).ToList();
        Assert.Equal(looks.Count, looks.Distinct().Count());
        chart.Line("c", X, X, dashed: true, markers: true);
        // Skia's SVG backend cannot fill a marker drawn with a dash effect: markers on dashed lines are open
        var dashed = chart.Legend.Where(s => s.Pattern == "dashed" && s.Marker != MarkerShape.None).ToList();
        Assert.NotEmpty(dashed);
        Assert.All(dashed, s => Assert.StartsWith("Open", s.Marker.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void The_font_has_every_character_of_the_measures_labels()
    {
        var chart = new Chart("Complexity measures against label noise (relative to true labels)", "label corruption", "measure / measure at the lowest noise");
        foreach (var (_, label) in MeasuresAnalysis.Shown) chart.Line(label, X, X, markers: true);
        Assert.Contains("ℓ2 path norm / γ", chart.Texts);
        var missing = Chart.MissingGlyphs(chart.FontFamily(), chart.Texts);
        Assert.True(missing.Count == 0, $"{chart.FontFamily()} has no glyph for {string.Join(" ", missing)}");
    }
}
