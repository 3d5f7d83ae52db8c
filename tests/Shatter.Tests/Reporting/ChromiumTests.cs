using System.Diagnostics;
using System.Text.RegularExpressions;
using SkiaSharp;

namespace Shatter.Tests.Reporting;

/// <summary>
/// Renders the report in headless Chromium (Debian's chromium): every image must have loaded and the
/// page must not be blank. Chromium is required: CI installs it (apt-get install chromium).
/// </summary>
public sealed class ChromiumTests(ReportFixture fixture) : IClassFixture<ReportFixture>
{
    static string Chromium()
    {
        foreach (var path in new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" })
            if (File.Exists(path)) return path;
        Assert.Fail("headless Chromium is needed to check the report page; install it with 'apt-get install chromium' (CI installs it).");
        return "";
    }

    static string Run(string page, params string[] args)
    {
        var profile = Path.Combine(Path.GetTempPath(), "shatter-chromium-" + Guid.NewGuid().ToString("N"));
        var info = new ProcessStartInfo(Chromium()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", $"--user-data-dir={profile}", "--virtual-time-budget=5000" })
            info.ArgumentList.Add(a);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.ArgumentList.Add(new Uri(page).AbsoluteUri);
        try
        {
            using var p = Process.Start(info)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(60_000))
            {
                p.Kill(entireProcessTree: true);
                Assert.Fail("chromium did not finish within 60 s");
            }
            Assert.True(p.ExitCode == 0, $"chromium exited with {p.ExitCode}: {stderr.Result}");
            return stdout.Result;
        }
        finally
        {
            if (Directory.Exists(profile)) Directory.Delete(profile, recursive: true);
        }
    }

    [Fact]
    public void Every_image_of_the_report_loads_in_headless_chromium()
    {
        var dom = Run(fixture.Outcome.HtmlPath, "--dump-dom");
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
        Run(fixture.Outcome.HtmlPath, $"--screenshot={shot}", "--window-size=1000,1400");
        using var bitmap = SKBitmap.Decode(shot);
        Assert.NotNull(bitmap);
        var colours = new HashSet<SKColor>();
        for (int y = 0; y < bitmap.Height; y += 7)
            for (int x = 0; x < bitmap.Width; x += 7)
                colours.Add(bitmap.GetPixel(x, y));
        Assert.True(colours.Count > 20, $"the screenshot has only {colours.Count} colours");
    }
}
