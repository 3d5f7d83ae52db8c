using Shatter.Experiments;
using Shatter.Reporting;
using Shatter.Results;
using Shatter.Tests.Experiments;

namespace Shatter.Tests.Reporting.Sections;

/// <summary>The generic section on databases filled by the trainer test double: report hints, and paper specs with extra axes.</summary>
public sealed class GridSectionTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "shatter-gridsec-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Scratch.Delete(dir);
    }

    ReportOutcome Report(string yaml)
    {
        using var store = SqliteStore.Open(Path.Combine(dir, "shatter.db"));
        new Sweep(store, new FakeExecutor(), new SweepOptions { ResultsDir = dir }).Run(SpecParser.Parse(yaml, "test.yaml"), "s", null, CancellationToken.None);
        return ReportBuilder.Build(store, Path.Combine(dir, "report"));
    }

    bool Figure(string name) => File.Exists(Path.Combine(dir, "report", "figures", name + ".png"));

    [Fact]
    public void Report_hints_choose_the_x_axis_the_series_and_the_metrics()
    {
        var outcome = Report("""
            name: hinted
            scales: { s: { train_size: 40, epochs: 20, until_fit: true } }
            grid:
              randomization:
                - { name: true labels, label_noise: 0 }
                - { name: random labels, label_noise: 1 }
              width:
                - { name: 64, model: mlp-1x64 }
                - { name: 128, model: mlp-1x128 }
              seed: [1, 2]
            report: { x: width, panels: width, metrics: [steps_to_fit] }
            """);
        Assert.True(Figure("hinted-steps_to_fit-vs-width"));
        Assert.False(Figure("hinted-test_accuracy-vs-width"));
        Assert.False(Figure("hinted-steps_to_fit-vs-randomization"));
        Assert.True(Figure("hinted-loss-1") && !Figure("hinted-loss-2"));  // one panel per width
        var html = File.ReadAllText(outcome.HtmlPath);
        Assert.Contains("Training loss against steps, width = 128:", html);
        // the fake trainer fits true labels in 5 epochs (50 steps) and random labels in 15 (150), whatever the width
        Assert.Contains("randomization=random labels: steps to fit 150 at width 64 → 150 at width 128.", outcome.FindingsOf("hinted"));
    }

    [Fact]
    public void A_paper_spec_with_an_extra_axis_keeps_its_figures_and_gets_the_extra_axis_plotted()
    {
        var outcome = Report("""
            name: figure1
            scales: { s: { train_size: 40, epochs: 40, until_fit: true } }
            grid:
              model: [mlp-1x512]
              randomization:
                - { name: true labels, label_noise: 0 }
                - { name: random labels, label_noise: 1 }
              batch_size: [64, 128]
            """);
        Assert.True(Figure("figure1b"));
        Assert.True(Figure("figure1-test_accuracy-vs-batch_size"));
        Assert.False(Figure("figure1-test_accuracy-vs-randomization"));  // the paper's axes are the paper section's
        Assert.False(Figure("figure1-loss-0"));
        Assert.Contains(outcome.Sections, s => s.Title == "figure1: the axes beyond the paper's (batch_size)");
        Assert.Contains(outcome.FindingsOf("figure1"), f => f.StartsWith("✓ every mode reached 100% training accuracy", StringComparison.Ordinal));
    }

    [Fact]
    public void A_paper_spec_with_only_its_own_axes_gets_no_generic_section()
    {
        var outcome = Report("""
            name: figure2
            scales: { s: { train_size: 40, epochs: 8 } }
            grid:
              model: [inception, inception-nobn]
              seed: [1, 2]
            """);
        Assert.DoesNotContain(outcome.Sections, s => s.Title.StartsWith("figure2:", StringComparison.Ordinal));
        Assert.Equal(2, File.ReadAllLines(Path.Combine(dir, "report", "tables", "figure2b-best.csv")).Length - 1);
    }
}
