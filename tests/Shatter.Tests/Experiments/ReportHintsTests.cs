using Shatter.Experiments;
using Shatter.Results;

namespace Shatter.Tests.Experiments;

public sealed class ReportHintsTests
{
    static string Spec(string report) => $"""
        name: hinted
        scales: {"{"} s: {"{"} epochs: 1 {"}"} {"}"}
        grid:
          width:
            - {"{"} name: 64, model: mlp-1x64 {"}"}
            - {"{"} name: 128, model: mlp-1x128 {"}"}
          randomization:
            - {"{"} name: true labels, label_noise: 0 {"}"}
        report:
        {report}
        """;

    static ShatterException Error(string report) => Assert.Throws<ShatterException>(() => SpecParser.Parse(Spec(report), "x.yaml"));

    [Fact]
    public void Report_hints_are_read_with_their_axes_and_metrics()
    {
        var spec = SpecParser.Parse(Spec("  x: width\n  series: randomization\n  metrics: [steps_to_fit, test_accuracy]"), "x.yaml");
        Assert.Equal(new ReportHints("width", "randomization", null, ["steps_to_fit", "test_accuracy"]) with { Metrics = spec.Report!.Metrics }, spec.Report);
        Assert.Equal(["steps_to_fit", "test_accuracy"], spec.Report.Metrics!);
    }

    [Fact]
    public void An_unknown_report_key_is_one_sentence_with_its_line()
    {
        Assert.Equal("x.yaml line 11: unknown key 'colour' under 'report'; use x, series, panels, metrics.", Error("  x: width\n  colour: red").Message);
    }

    [Fact]
    public void An_unknown_metric_or_axis_is_one_sentence_with_its_line()
    {
        Assert.Equal("x.yaml line 10: unknown metric 'accuracy' under 'report'; use steps_to_fit, train_accuracy, test_accuracy, generalization_gap, wall_seconds.",
            Error("  metrics: [accuracy]").Message);
        Assert.Equal("x.yaml line 10: report x 'depth' is not an axis of the grid; use one of width, randomization.", Error("  x: depth").Message);
        Assert.Equal("x.yaml line 10: report x and series must name different axes.", Error("  x: width\n  series: width").Message);
    }

    [Fact]
    public void A_sweep_stores_the_hints_for_the_report()
    {
        var dir = Path.Combine(Path.GetTempPath(), "shatter-hints-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var store = SqliteStore.Open(Path.Combine(dir, "shatter.db"));
            var spec = SpecParser.Parse(Spec("  x: width"), "x.yaml");
            new Sweep(store, new FakeExecutor(), new SweepOptions { ResultsDir = dir }).Run(spec, "s", null, CancellationToken.None);
            Assert.Equal("width", store.ReportHints("hinted")!.X);
            Assert.Null(store.ReportHints("other"));
        }
        finally
        {
            Scratch.Delete(dir);
        }
    }
}
