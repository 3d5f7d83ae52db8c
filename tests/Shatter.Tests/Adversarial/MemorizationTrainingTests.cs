using System.Text.Json;
using Shatter.Adversarial;
using Shatter.Experiments;
using Shatter.Tests.Cli;
using Shatter.Tests.Data;
using Shatter.Training;
using Shatter.Results;

namespace Shatter.Tests.Adversarial;

/// <summary>--memorization-epochs on real small runs: what memorization.json holds, that it changes no training result, bad input.
/// Serial: it compares two runs bit for bit, and libtorch's global generator (weight initialisation) is process-wide.</summary>
[Collection(Shatter.Tests.Training.SerialTorchRandom.Name)]
public sealed class MemorizationTrainingTests
{
    static readonly TrainConfig Small = new() { TrainSize = 200, TestSize = 100, Epochs = 2, BatchSize = 50, Threads = 1, LabelNoise = 0.5 };

    /// <summary>The trainer with the memorization probe plugged in, as the train command and the sweeps run it.</summary>
    static TrainSummary Train(TrainConfig config, string dir, bool resume = false)
    {
        using var probe = new MemorizationProbe();
        return Trainer.Run(config, dir, new TrainerOptions { Resume = resume, Callbacks = [probe] });
    }

    [Fact]
    public void A_run_measures_at_the_asked_epochs_on_clean_and_corrupted_examples_and_trains_exactly_as_without()
    {
        RealData.RequireFashionMnist();
        using var folder = new TempFolder();
        Trainer.Run(Small, folder["plain"]);
        Train(Small with { MemorizationEpochs = "2,0", MemorizationSamples = 120 }, folder["measured"]);

        // the measures use their own generators and no parameter gradient: the training is the same to the bit
        Assert.Equal(File.ReadAllText(Path.Combine(folder["plain"], "epochs.csv")).Split('\n').Select(l => string.Join(',', l.Split(',').Take(7))),
            File.ReadAllText(Path.Combine(folder["measured"], "epochs.csv")).Split('\n').Select(l => string.Join(',', l.Split(',').Take(7))));
        Assert.Equal(File.ReadAllText(Path.Combine(folder["plain"], "steps.csv")), File.ReadAllText(Path.Combine(folder["measured"], "steps.csv")));

        var file = MemorizationFile.Read(folder["measured"])!;
        Assert.Equal(120, file.Samples);
        Assert.Equal(CriticalSearch.Paper.Radius, file.Radius, 15);
        Assert.Equal([0, 2], file.Points.Select(p => p.Epoch).Distinct());
        foreach (var epoch in new[] { 0, 2 })
        {
            var of = file.Points.Where(p => p.Epoch == epoch).ToDictionary(p => p.Group);
            Assert.Equal(120, of["all"].Examples);
            Assert.Equal(120, of["clean"].Examples + of["corrupted"].Examples);
            Assert.InRange(of["corrupted"].Examples, 30, 80); // P = 0.5 redraws half, 9 in 10 of them to another class
            foreach (var p in of.Values)
            {
                Assert.InRange(p.CriticalSampleRatio, 0, 1);
                Assert.True(p.LossSensitivity > 0, $"loss sensitivity {p.LossSensitivity}");
            }
            // the whole subsample's means are the count-weighted means of the two groups
            Assert.Equal(of["all"].LossSensitivity,
                (of["clean"].LossSensitivity * of["clean"].Examples + of["corrupted"].LossSensitivity * of["corrupted"].Examples) / 120, 9);
        }
        // the measures are not training time: the run's file says so with its own seconds
        Assert.All(file.Points, p => Assert.True(p.Seconds > 0));
    }

    [Fact]
    public void A_resumed_run_keeps_the_points_before_its_checkpoint_and_ends_with_the_points_of_an_uninterrupted_run()
    {
        RealData.RequireFashionMnist();
        using var folder = new TempFolder();
        // 200 images / 50 = 4 steps per epoch: --max-steps 6 stops in epoch 2, after the measure of epoch 1
        var config = Small with { Epochs = 3, MemorizationEpochs = "1,3", MemorizationSamples = 80 };
        Train(config, folder["whole"]);
        Train(config with { MaxSteps = 6 }, folder["cut"]);
        Assert.Equal([1], MemorizationFile.Read(folder["cut"])!.Points.Select(p => p.Epoch).Distinct());
        Train(config, folder["cut"], resume: true);
        static IEnumerable<(int, string, int, double, double)> Values(string dir) =>
            MemorizationFile.Read(dir)!.Points.Select(p => (p.Epoch, p.Group, p.Examples, p.CriticalSampleRatio, p.LossSensitivity));
        Assert.Equal(Values(folder["whole"]), Values(folder["cut"])); // the same model at each epoch, the same seeded search
        Assert.Equal(6, Values(folder["cut"]).Count());
    }

    [Fact]
    public void The_epoch_list_is_kept_sorted_without_repeats_and_changes_the_identity_only_when_set()
    {
        var a = new TrainConfig { MemorizationEpochs = "10, 1,5,1" };
        Assert.Equal("1,5,10", a.MemorizationEpochs);
        Assert.Equal([1, 5, 10], a.MemorizationEpochList);
        Assert.Equal(RunIdentity.Hash(a), RunIdentity.Hash(new TrainConfig { MemorizationEpochs = "1,5,10" }));
        Assert.NotEqual(RunIdentity.Hash(new TrainConfig()), RunIdentity.Hash(a));
        Assert.DoesNotContain("memorization", RunIdentity.Canonical(new TrainConfig()));
        Assert.NotEqual(RunIdentity.Hash(a), RunIdentity.Hash(a with { MemorizationSamples = 100 }));
    }

    [Theory]
    [InlineData("1,x", "--memorization-epochs must list epochs as whole numbers")]
    [InlineData("-1", "--memorization-epochs must list epochs as whole numbers")]
    [InlineData("", "--memorization-epochs must list epochs as whole numbers")]
    public void A_bad_epoch_list_is_a_one_sentence_error(string list, string expected)
    {
        var e = Assert.Throws<ShatterException>(() => new TrainConfig { MemorizationEpochs = list }.Validate());
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void The_cli_rejects_bad_memorization_options_with_exit_code_2_and_writes_nothing()
    {
        using var folder = new TempFolder();
        var bad = CliRunner.Run("train", "--out", folder["a"], "--memorization-epochs", "1;5");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--memorization-epochs must list epochs", bad.Error);
        var samples = CliRunner.Run("train", "--out", folder["b"], "--memorization-samples", "100");
        Assert.Equal(2, samples.ExitCode);
        Assert.Contains("add --memorization-epochs", samples.Error);
        var zero = CliRunner.Run("train", "--out", folder["c"], "--memorization-epochs", "1", "--memorization-samples", "0");
        Assert.Equal(2, zero.ExitCode);
        Assert.Contains("--memorization-samples must be a positive", zero.Error);
        Assert.False(Directory.Exists(folder["a"]) || Directory.Exists(folder["b"]) || Directory.Exists(folder["c"]));
    }

    [Fact]
    public void A_regression_table_refuses_the_memorization_measures()
    {
        using var folder = new TempFolder();
        var csv = folder["t.csv"];
        File.WriteAllLines(csv, ["a,b,y", .. Enumerable.Range(0, 20).Select(i => $"{i},{i % 3},{2 * i}")]);
        var e = Assert.Throws<ShatterException>(() => Train(new TrainConfig { Dataset = "csv:" + csv, Target = "y", Model = "mlp-10", Epochs = 1, MemorizationEpochs = "1" }, folder["run"]));
        Assert.Contains("measures classifiers", e.Message);
    }
}
