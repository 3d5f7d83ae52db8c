using Shatter.Experiments;
using Shatter.Results;

namespace Shatter.Tests.Experiments;

/// <summary>Sweeps with the real trainer (it seeds torch's global generator, hence the serial collection).</summary>
[Collection(Training.SerialTorchRandom.Name)]
public sealed class SweepDivergenceTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "shatter-sweep-nan-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Scratch.Delete(dir);
    }

    SweepOptions Options => new() { ResultsDir = dir, PollInterval = TimeSpan.FromMilliseconds(10) };

    [Fact]
    public void A_diverged_run_is_a_finished_result_stored_once_never_retried_and_reported_as_diverged()
    {
        var spec = SpecParser.Parse("""
            name: blowup
            scales:
              s: { train_size: 1000, test_size: 100, epochs: 3, threads: 1 }
            grid:
              model: [mlp-1x512]
              learning_rate: [0.01, 50]
            """, "blowup.yaml");
        using var store = SqliteStore.Open(Path.Combine(dir, "shatter.db"));
        var outcome = new Sweep(store, new TrainerExecutor(), Options).Run(spec, "s", null, CancellationToken.None);
        Assert.Equal(new SweepOutcome(2, 2, 0, 2), outcome);
        var diverged = store.Runs("blowup", "s").Single(r => r.Config.LearningRate == 50);
        Assert.Equal(RunStatus.Done, diverged.Status);
        Assert.Equal(1, diverged.Attempts);
        Assert.Equal("diverged", diverged.Summary!.StopReason);
        Assert.NotNull(diverged.Summary.DivergedStep);
        Assert.Contains(store.Epochs(diverged.Hash), e => double.IsNaN(e.TrainLoss)); // stored as NULL, read as NaN

        var again = new Sweep(store, new TrainerExecutor(), Options).Run(spec, "s", null, CancellationToken.None);
        Assert.Equal(0, again.RanHere);

        var report = Shatter.Reporting.ReportBuilder.Build(store, Path.Combine(dir, "report"));
        Assert.Contains(report.Findings, f => f.Contains("1 run diverged", StringComparison.Ordinal));
        var html = File.ReadAllText(report.HtmlPath);
        Assert.Contains("diverged (the training loss became NaN or infinite", html);
        Assert.Contains("at step " + diverged.Summary.DivergedStep, html);
        Assert.Contains(",diverged,", File.ReadAllText(Path.Combine(dir, "report", "tables", "runs.csv")));
    }
}
