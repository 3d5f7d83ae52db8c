using System.Text.Json;
using Shatter.Training;

namespace Shatter.Tests.Cli;

[Collection(Training.SerialTorchRandom.Name)]
public sealed class TrainCommandTests : IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "shatter-train-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Scratch.Delete(_dir);
    }

    [Fact]
    public void A_diverging_run_writes_every_file_says_one_sentence_and_exits_3()
    {
        var outDir = Path.Combine(_dir, "d");
        var r = CliRunner.Run("train", "--model", "mlp-1x512", "--train-size", "1000", "--lr", "50", "--epochs", "3", "--threads", "1", "--out", outDir);

        Assert.Equal(3, r.ExitCode);
        var line = r.Error.TrimEnd('\n', '\r');
        Assert.Matches(@"^error: the training loss became (NaN|infinite) at step \d+ of epoch \d+ \(lr 50\); lower --lr\.$", line);
        Assert.DoesNotContain("internal failure", r.Error);
        var run = new RunFolder(outDir);
        foreach (var f in new[] { run.RunJson, run.SummaryJson, run.EpochsCsv, run.StepsCsv, run.ExamplesCsv }) Assert.True(File.Exists(f), f);
        using var summary = JsonDocument.Parse(File.ReadAllText(run.SummaryJson));
        Assert.Equal("diverged", summary.RootElement.GetProperty("stop_reason").GetString());
        long step = summary.RootElement.GetProperty("diverged_step").GetInt64();
        Assert.Contains($"at step {step} of epoch {summary.RootElement.GetProperty("diverged_epoch").GetInt32()}", line);
        Assert.Empty(Directory.EnumerateFiles(outDir, "*.tmp", SearchOption.AllDirectories)); // nothing half-written
    }

    [Fact]
    public void A_training_subset_larger_than_the_dataset_is_one_sentence_naming_the_size_available()
    {
        var r = CliRunner.Run("train", "--model", "mlp-1x512", "--dataset", "fashion-mnist", "--train-size", "70000", "--epochs", "1", "--out", Path.Combine(_dir, "big"));
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("error: --train-size 70000 is more than the 60,000 training images of fashion-mnist; choose at most 60000, or 0 for all of them.", r.Error.Trim());
        Assert.False(File.Exists(Path.Combine(_dir, "big", "summary.json")));
    }
}
