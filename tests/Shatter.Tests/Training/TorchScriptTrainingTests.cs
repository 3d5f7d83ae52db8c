using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shatter.Tests.Data;
using Shatter.Tests.Models;
using Shatter.Training;
using static TorchSharp.torch;

namespace Shatter.Tests.Training;

/// <summary>
/// A <c>torchscript:PATH</c> model trained by Shatter's own trainer on an <c>npz:PATH</c> dataset: the file's SHA-256 in the
/// run's configuration, resume refused for a changed file, shape errors as one sentence, and the same losses as PyTorch
/// training the same file on the same batches.
/// </summary>
[Collection(SerialTorchRandom.Name)]
public sealed class TorchScriptTrainingTests(ScriptedNets nets, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<ScriptedNets>
{
    TrainConfig Config(string model) => new()
    {
        Dataset = nets.Dataset, Model = model, Epochs = 3, BatchSize = 16, LearningRate = 0.05, LearningRateDecay = 1,
        WeightDecay = 5e-4, Threads = 1,
    };

    static JsonNode RunJson(string dir) => JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "run.json")))!;

    [Fact]
    public void A_torchscript_model_trains_on_npz_data_and_its_run_holds_the_files_sha256()
    {
        using var folder = new TempFolder();
        var summary = Trainer.Run(Config(nets.Model("cnn.pt")), folder["run"]);
        Assert.Equal(3, summary.Epochs);
        Assert.Equal(3 * ScriptedNets.Train / 16, summary.Steps);
        Assert.Equal(nets.Sha256["cnn.pt"], RunJson(folder["run"])["config"]!["model_sha256"]!.GetValue<string>());
        Assert.Equal("torchscript", RunJson(folder["run"])["resolved"]!["model_family"]!.GetValue<string>());
        double initial = double.Parse(File.ReadAllLines(folder["run/epochs.csv"])[1].Split(',')[3], CultureInfo.InvariantCulture); // epoch 0
        Assert.True(summary.FinalTrainLoss < initial, $"the training loss went from {initial} to {summary.FinalTrainLoss}");
    }

    [Fact]
    public void Resume_refuses_a_changed_model_file_in_one_sentence_and_continues_once_it_is_restored()
    {
        using var folder = new TempFolder();
        var model = folder["net.pt"];
        File.Copy(nets["cnn.pt"], model);
        var config = Config(TorchScript(model)) with { MaxSteps = 3 };
        Trainer.Run(config, folder["run"]);                                         // stops inside epoch 1, checkpointed

        File.Copy(nets["other.pt"], model, overwrite: true);
        var e = Assert.Throws<ShatterException>(() => Trainer.Run(config with { MaxSteps = 0 }, folder["run"], resume: true));
        Assert.Contains("has changed since", e.Message);
        Assert.Contains(nets.Sha256["cnn.pt"][..12], e.Message);
        Assert.Contains(nets.Sha256["other.pt"][..12], e.Message);
        Assert.DoesNotContain('\n', e.Message);

        File.Copy(nets["cnn.pt"], model, overwrite: true);
        var resumed = Trainer.Run(config with { MaxSteps = 0 }, folder["run"], resume: true);
        Assert.Equal(3, resumed.Epochs);
        // the resumed run ends where the uninterrupted one does
        var whole = Trainer.Run(config with { MaxSteps = 0 }, folder["whole"]);
        Assert.Equal(whole.FinalTrainLoss, resumed.FinalTrainLoss, 1e-6);
    }

    [Fact]
    public void A_run_planned_with_one_file_refuses_to_train_another()
    {
        using var folder = new TempFolder();
        var planned = Config(nets.Model("cnn.pt")) with { ModelSha256 = nets.Sha256["other.pt"] };
        var e = Assert.Throws<ShatterException>(() => Trainer.Run(planned, folder["run"]));
        Assert.Contains("has changed since the run was planned", e.Message);
    }

    [Theory]
    [InlineData("five.pt", "returns (2, 5) for a batch of 2, not (2, 3)")]
    [InlineData("rgb.pt", "fails on a batch of the dataset's inputs, Float32 (2, 1, 8, 8)")]
    public void A_model_that_does_not_fit_the_datasets_shapes_is_refused_in_one_sentence(string file, string problem)
    {
        using var folder = new TempFolder();
        var e = Assert.Throws<ShatterException>(() => Trainer.Run(Config(nets.Model(file)), folder["run"]));
        Assert.Contains(problem, e.Message);
        Assert.Contains(nets[file], e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.False(File.Exists(folder["run/run.json"]));
    }

    /// <summary>
    /// The evidence of issue 20: the scripted network (conv, batch norm, linear) trained for 3 epochs of 6 batches by
    /// Shatter's trainer and by PyTorch's torch.optim.SGD, from the file's initial weights, on the inputs Shatter trained on
    /// (exported by <c>shatter export --training-data</c>) in the batches of Shatter's seeded order (each epoch's
    /// <c>randperm</c> from <see cref="EpochRandom"/>, as the trainer draws it), gives the same loss at every step and
    /// the same final weights and batch-norm statistics.
    /// </summary>
    [Fact]
    public void Shatters_trainer_and_pytorch_train_the_same_scripted_net_to_the_same_losses_and_weights()
    {
        using var folder = new TempFolder();
        var config = Config(nets.Model("cnn.pt")) with { Momentum = 0.9 };
        Trainer.Run(config, folder["run"]);
        var export = Cli.CliRunner.Run("export", folder["run"], "--training-data", folder["data.pt"]);
        Assert.True(export.ExitCode == 0, export.Error);
        // Shatter's order of the training examples in each epoch
        var orders = Enumerable.Range(1, config.Epochs).Select(epoch =>
        {
            using var random = new EpochRandom(config.Seed, epoch);
            using var order = randperm(ScriptedNets.Train, generator: random.Once("order"));
            return order.data<long>().ToArray();
        }).ToArray();
        File.WriteAllText(folder["orders.json"], JsonSerializer.Serialize(orders));
        File.Copy(nets["cnn.pt"], folder["cnn.pt"]);

        var theirs = JsonDocument.Parse(Python.Run(folder.Path, """
            import json, sys, torch
            import torch.nn.functional as F
            torch.set_num_threads(1)
            lr, momentum, wd, batch = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
            data, orders = torch.load("data.pt"), json.load(open("orders.json"))
            x, y = data["x"], data["y"]
            m = torch.jit.load("cnn.pt")
            m.train()
            opt = torch.optim.SGD(m.parameters(), lr=lr, momentum=momentum, weight_decay=wd)
            losses = []
            for order in orders:
                for b in range(0, len(order), batch):
                    idx = torch.tensor(order[b:b + batch])
                    opt.zero_grad()
                    loss = F.cross_entropy(m(x[idx]), y[idx])
                    losses.append(loss.item())
                    loss.backward()
                    opt.step()
            ours = torch.load("run/weights-final.pt")
            diff = max((ours[k].double() - v.double()).abs().max().item() for k, v in m.state_dict().items())
            print(json.dumps({"losses": losses, "weights": diff}))
            """, $"{config.LearningRate}", $"{config.Momentum}", $"{config.WeightDecay}", $"{config.BatchSize}")).RootElement;

        var expected = theirs.GetProperty("losses").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var losses = File.ReadAllLines(folder["run/steps.csv"]).Skip(1).Select(l => double.Parse(l.Split(',')[3], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(config.Epochs * ScriptedNets.Train / config.BatchSize, expected.Length);
        Assert.Equal(expected.Length, losses.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(losses[i] - expected[i]) <= 1e-5 + 1e-4 * Math.Abs(expected[i]), $"step {i}: Shatter {losses[i]}, PyTorch {expected[i]}");
        double weights = theirs.GetProperty("weights").GetDouble();
        output.WriteLine($"losses {losses[0]:F6} -> {losses[^1]:F6} in {losses.Length} steps; largest |Shatter - PyTorch| loss {losses.Zip(expected, (a, b) => Math.Abs(a - b)).Max():E2}, weight or statistic {weights:E2}");
        Assert.True(weights <= 1e-4, $"the final weights differ by {weights}");
        Assert.True(losses[^1] < 0.8 * losses[0], $"the loss went from {losses[0]} to {losses[^1]}");
    }

    static string TorchScript(string path) => Shatter.Models.TorchScriptModel.Prefix + path;
}
