using Shatter.Cli.Commands;
using Shatter.Experiments;
using Shatter.Results;
using Spectre.Console.Testing;

namespace Shatter.Tests.Experiments;

public sealed class SweepProgressTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "shatter-progress-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Scratch.Delete(dir);
    }

    static readonly ExperimentSpec Spec = SpecParser.Parse("""
        name: p
        scales: { s: { train_size: 20, epochs: 20 } }
        grid:
          label_noise: [0, 1]
        """, "p.yaml");

    SweepOutcome Run(TestConsole console, ExperimentSpec? spec = null)
    {
        using var store = SqliteStore.Open(Path.Combine(dir, "shatter.db"));
        var sweep = new Sweep(store, new FakeExecutor(), new SweepOptions { ResultsDir = dir });
        return SweepProgress.Run(console, 1, listener => sweep.Run(spec ?? Spec, "s", listener, CancellationToken.None));
    }

    [Fact]
    public void A_terminal_gets_a_live_display_with_runs_done_and_an_eta()
    {
        var console = new TestConsole().Width(160).Interactive();
        var outcome = Run(console);
        Assert.Equal(2, outcome.Done);
        Assert.Contains("runs 2/2 done", console.Output);
        Assert.Contains("✓ ", console.Output);  // one line per finished run above the display
    }

    [Fact]
    public void Redirected_output_gets_plain_lines_with_the_eta()
    {
        var console = new TestConsole().Width(160);
        Run(console);
        var lines = console.Output.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("[0/2] start ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("[1/2] done ", StringComparison.Ordinal) && l.Contains("; ETA 0:"));
        Assert.Contains(lines, l => l.StartsWith("[2/2] done ", StringComparison.Ordinal) && l.TrimEnd().EndsWith("; done", StringComparison.Ordinal));
    }

    [Fact]
    public void A_regression_sweeps_lines_give_r_squared_where_a_classifiers_give_accuracy()
    {
        var console = new TestConsole().Width(160);
        Run(console);
        Assert.Contains(" train acc ", console.Output);
        var table = SpecParser.Parse("""
            name: t
            scales: { s: { dataset: house-prices, model: mlp-64, epochs: 20 } }
            grid:
              seed: [1, 2]
            """, "t.yaml");
        var regression = new TestConsole().Width(160);
        Run(regression, table);
        Assert.Contains(" train R² ", regression.Output);
        Assert.Contains(", test R² ", regression.Output);
        Assert.DoesNotContain(" acc ", regression.Output);
    }
}
