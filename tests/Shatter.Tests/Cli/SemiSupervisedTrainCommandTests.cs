using System.Text.Json;

namespace Shatter.Tests.Cli;

/// <summary><c>shatter train --labelled N</c>: the semi-supervised task from the command line, and its refusals (exit 2, one sentence).</summary>
[Collection(Training.SerialTorchRandom.Name)]
public sealed class SemiSupervisedTrainCommandTests : IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "shatter-semi-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Scratch.Delete(_dir);
    }

    [Fact]
    public void Labelled_trains_the_semi_supervised_task_and_prints_its_measures()
    {
        var outDir = Path.Combine(_dir, "run");
        var r = CliRunner.Run("train", "--model", "mlp-1x64", "--train-size", "200", "--test-size", "100", "--labelled", "30", "--label-noise", "1",
            "--label-noise-mode", "different", "--semi-method", "fixmatch", "--unlabelled-ratio", "2", "--batch-size", "10", "--epochs", "2", "--threads", "1", "--out", outDir);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("30 labelled, 170 unlabelled: ", r.Output);
        Assert.Contains("of the 30 corrupted labels memorized", r.Output);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        Assert.Equal("semi-supervised", summary.RootElement.GetProperty("task").GetString());
        Assert.Equal(30, summary.RootElement.GetProperty("measures").GetProperty("corrupted_labelled").GetDouble());
        using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "run.json")));
        Assert.Equal("fixmatch", run.RootElement.GetProperty("config").GetProperty("semi_method").GetString());
    }

    [Theory]
    [InlineData("--semi-method fixmatch augments images (shifts, flips, cutout), and house-prices is not an image dataset; use pseudo-label or supervised.", "--dataset", "house-prices", "--labelled", "20", "--semi-method", "fixmatch")]
    [InlineData("--labelled 100 leaves no unlabelled example among the 100 of --train-size; choose fewer than 100, or drop --labelled to train on every label.", "--train-size", "100", "--labelled", "100")]
    [InlineData("--labelled 5 is fewer than the 10 classes of fashion-mnist, so some class would have no labelled example; choose at least 10.", "--train-size", "100", "--labelled", "5")]
    [InlineData("unknown semi-supervised method 'mixmatch' for --semi-method; use supervised, pseudo-label or fixmatch.", "--labelled", "20", "--semi-method", "mixmatch")]
    public void Impossible_semi_supervised_options_exit_2_with_one_sentence(string message, params string[] options)
    {
        var outDir = Path.Combine(_dir, "refused");
        var r = CliRunner.Run(["train", "--model", "mlp-1x64", "--epochs", "1", "--out", outDir, .. options]);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("error: " + message, r.Error.Trim());
        Assert.False(File.Exists(Path.Combine(outDir, "summary.json")));
    }
}
