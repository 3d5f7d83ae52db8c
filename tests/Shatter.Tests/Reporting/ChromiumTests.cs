using System.Text.RegularExpressions;
using SkiaSharp;

namespace Shatter.Tests.Reporting;

/// <summary>
/// Renders the report in headless Chromium (Debian's chromium): every image must have loaded and the
/// page must not be blank. Chromium is required: CI installs it (apt-get install chromium).
/// </summary>
public sealed class ChromiumTests(ReportFixture fixture) : IClassFixture<ReportFixture>
{
    [Fact]
    public void Every_image_of_the_report_loads_in_headless_chromium()
    {
        var dom = Chromium.Run(fixture.Outcome.HtmlPath, "--dump-dom");
        var images = Regex.Match(dom, "data-images=\"(\\d+)\"");
        var loaded = Regex.Match(dom, "data-images-loaded=\"(\\d+)\"");
        Assert.True(images.Success && loaded.Success, "the page's load script did not run");
        Assert.Equal("8", images.Groups[1].Value); // six figures of the paper's sections, two of the theory section
        Assert.Equal(images.Groups[1].Value, loaded.Groups[1].Value);
    }

    [Fact]
    public void The_rendered_report_is_not_blank()
    {
        var shot = Path.Combine(fixture.Dir, "shot.png");
        Chromium.Run(fixture.Outcome.HtmlPath, $"--screenshot={shot}", "--window-size=1000,1400");
        using var bitmap = SKBitmap.Decode(shot);
        Assert.NotNull(bitmap);
        var colours = new HashSet<SKColor>();
        for (int y = 0; y < bitmap.Height; y += 7)
            for (int x = 0; x < bitmap.Width; x += 7)
                colours.Add(bitmap.GetPixel(x, y));
        Assert.True(colours.Count > 20, $"the screenshot has only {colours.Count} colours");
    }

    [Fact]
    public void A_long_table_is_shown_whole_without_a_vertical_scroll_box()
    {
        // 60 runs of a user spec: its runs table has 60 rows
        var runs = Enumerable.Range(0, 60).Select(i => HandMadeRuns.Run("long", new Shatter.Training.TrainConfig { Seed = i, Epochs = 3 }, 0.9, 0.5,
            point: [("width", $"{i % 6}"), ("seed", $"{i}")])).ToList();
        var dir = Path.Combine(fixture.Dir, "long");
        var outcome = Shatter.Reporting.ReportBuilder.Build(new Shatter.Reporting.ReportContext(Path.Combine(dir, "x.db"), "test", runs, _ => null, resultsFolder: dir), Path.Combine(dir, "report"));
        var dom = Chromium.Run(outcome.HtmlPath, "--dump-dom", "--window-size=1000,1400");
        var clipped = Regex.Match(dom, "data-clipped-tables=\"(\\d+)\"");
        Assert.True(clipped.Success, "the page's load script did not run");
        Assert.Equal("0", clipped.Groups[1].Value);
        Assert.Contains("<td>59</td>", dom);
    }
}
