using System.Text.RegularExpressions;
using Shatter.Tests.Cli;

namespace Shatter.Tests.Reporting;

/// <summary>
/// A user's spec (experiments/examples/width.yaml: a categorical randomization axis × a numeric width axis)
/// swept at dry-run scale with the real trainer and reported, all through the CLI; the page rendered in Chromium.
/// </summary>
public sealed class GridReportFixture : IDisposable
{
    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "shatter-grid-" + Guid.NewGuid().ToString("N"));
    public string Report => Path.Combine(Dir, "report");
    public CliRunner.Result Sweep { get; }
    public CliRunner.Result Printed { get; }

    public GridReportFixture()
    {
        var spec = Path.Combine(Checkout.Root, "experiments", "examples", "width.yaml");
        var db = Path.Combine(Dir, "shatter.db");
        Sweep = CliRunner.Run("sweep", spec, "--scale", "dry-run", "--db", db, "--threads", "1");
        Printed = CliRunner.Run("report", "--db", db, "--out", Report);
    }

    public void Dispose()
    {
        Scratch.Delete(Dir);
    }
}

public sealed class GridReportTests(GridReportFixture fixture) : IClassFixture<GridReportFixture>
{
    [Fact]
    public void A_user_spec_gets_learning_curves_per_panel_and_metrics_against_each_axis()
    {
        Assert.True(fixture.Sweep.ExitCode == 0, fixture.Sweep.Output + fixture.Sweep.Error);
        Assert.True(fixture.Printed.ExitCode == 0, fixture.Printed.Output + fixture.Printed.Error);
        // the first axis (randomization) gives a panel per value: loss and accuracy for each
        foreach (var name in new[] { "width-loss-0", "width-accuracy-0", "width-loss-1", "width-accuracy-1",
                     "width-test_accuracy-vs-width", "width-train_accuracy-vs-width", "width-test_accuracy-vs-randomization" })
            Assert.True(File.Exists(Path.Combine(fixture.Report, "figures", name + ".png")), name);
        // nothing fits in 2 epochs: no steps-to-fit figure, and the runs say so in the cap wording
        Assert.False(File.Exists(Path.Combine(fixture.Report, "figures", "width-steps_to_fit-vs-width.png")));
        var runs = File.ReadAllLines(Path.Combine(fixture.Report, "tables", "width-runs.csv"));
        Assert.StartsWith("randomization,width,seed,status,outcome,", runs[0]);
        Assert.Equal(5, runs.Length);
        Assert.Contains(runs, l => l.StartsWith("random labels,256,1,done,did not fit within the cap of 2 epochs", StringComparison.Ordinal));
    }

    [Fact]
    public void The_section_states_measurements_not_verdicts_and_the_cli_prints_them_under_its_title()
    {
        var output = fixture.Printed.Output;
        Assert.Contains("Experiment width:\n  4 of 4 runs finished, over 4 grid points of randomization (2) × width (2).", output.Replace("\r", ""));
        Assert.Matches(new Regex(@"randomization=random labels: final test accuracy [0-9.]+% at width 64 → [0-9.]+% at width 256\."), output);
        Assert.DoesNotContain("✓", output);
        Assert.DoesNotContain("✗", output);
    }

    [Fact]
    public void The_report_renders_in_chromium_with_every_image_and_sortable_runs_tables()
    {
        var html = Path.Combine(fixture.Report, "index.html");
        var dom = Chromium.Run(html, "--dump-dom");
        var images = Regex.Match(dom, "data-images=\"(\\d+)\"").Groups[1].Value;
        Assert.Equal(images, Regex.Match(dom, "data-images-loaded=\"(\\d+)\"").Groups[1].Value);
        Assert.True(int.Parse(images) >= 10, $"{images} images");
        Assert.Equal("2", Regex.Match(dom, "data-sortable-tables=\"(\\d+)\"").Groups[1].Value);  // the spec's runs and all runs
        Assert.Contains("<h2>Experiment width</h2>", dom);
        Assert.DoesNotMatch("<script[^>]+src=", dom);  // the sorting script is inline
    }
}
