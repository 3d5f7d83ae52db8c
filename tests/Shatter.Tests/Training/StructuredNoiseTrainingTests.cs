using System.Text.Json;
using Shatter.Corruptions;
using Shatter.Tests.Cli;
using Shatter.Tests.Data;
using Shatter.Training;

namespace Shatter.Tests.Training;

/// <summary>Structured label noise through the trainer and the CLI: the realized transition is recorded.</summary>
public sealed class StructuredNoiseTrainingTests
{
    static TrainConfig Small() => new() { TrainSize = 200, TestSize = 100, Epochs = 1, BatchSize = 50, Threads = 1 };

    [Fact]
    public void A_pair_flip_run_records_its_realized_flip_rate_and_transition_matrix()
    {
        RealData.RequireFashionMnist();
        using var dir = new TempFolder();
        var s = Trainer.Run(Small() with { LabelNoise = 0.5, LabelNoiseMode = LabelNoiseMode.PairFlip }, dir["run"]);
        var run = new RunFolder(dir["run"]);
        var rows = File.ReadAllLines(run.LabelTransitionCsv);
        Assert.Equal("true,0,1,2,3,4,5,6,7,8,9", rows[0]);
        Assert.Equal(11, rows.Length);
        var counts = rows.Skip(1).Select(r => r.Split(',').Skip(1).Select(long.Parse).ToArray()).ToArray();
        Assert.Equal(200, counts.Sum(r => r.Sum()));
        long flipped = Enumerable.Range(0, 10).Sum(i => counts[i][(i + 1) % 10]);
        Assert.Equal(s.FractionLabelsChanged, flipped / 200.0, 12);
        Assert.InRange(s.FractionLabelsChanged, 0.35, 0.65);
        using var doc = JsonDocument.Parse(File.ReadAllText(run.SummaryJson));
        var stored = doc.RootElement.GetProperty("label_transition");
        Assert.Equal(counts[3][4], stored[3][4].GetInt64());
    }

    [Fact]
    public void The_cli_trains_with_a_transition_matrix_and_rejects_a_bad_one_in_one_sentence()
    {
        RealData.RequireFashionMnist();
        using var dir = new TempFolder();
        // every drawn label goes to class 8 (bag)
        var rows = Enumerable.Range(0, 10).Select(_ => string.Join(",", Enumerable.Range(0, 10).Select(j => j == 8 ? "1" : "0")));
        File.WriteAllLines(dir["t.csv"], rows);
        var ok = CliRunner.Run("train", "--model", "mlp-1x512", "--train-size", "200", "--test-size", "100", "--epochs", "1", "--threads", "1", "--quiet",
            "--label-noise", "1", "--label-noise-mode", "matrix", "--transition", dir["t.csv"], "--out", dir["run"]);
        Assert.True(ok.ExitCode == 0, ok.Output + ok.Error);
        var last = File.ReadAllLines(new RunFolder(dir["run"]).LabelTransitionCsv).Skip(1).Select(r => r.Split(',')[9]).ToArray();
        Assert.All(last, cell => Assert.Equal("20", cell)); // 20 images per class, all now labelled 8

        File.WriteAllLines(dir["bad.csv"], rows.Take(9));
        var bad = CliRunner.Run("train", "--model", "mlp-1x512", "--train-size", "200", "--test-size", "100", "--epochs", "1", "--quiet",
            "--label-noise", "1", "--label-noise-mode", "matrix", "--transition", dir["bad.csv"], "--out", dir["bad"]);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("has 9 rows but the dataset has 10 classes", bad.Error);
        Assert.False(File.Exists(Path.Combine(dir["bad"], "summary.json")));
    }
}
