using System.Text.Json;
using Shatter.Tests.Data;
using Shatter.Tests.Models;

namespace Shatter.Tests.Cli;

/// <summary><c>--model torchscript:PATH</c> from the command line: train, export back into PyTorch, attack; bad models exit 2.</summary>
[Collection(Training.SerialTorchRandom.Name)]
public sealed class TorchScriptCommandTests(ScriptedNets nets) : IClassFixture<ScriptedNets>
{
    [Fact]
    public void A_torchscript_model_trains_from_the_cli_its_weights_export_into_pytorch_and_it_can_be_attacked()
    {
        using var folder = new TempFolder();
        var run = folder["run"];
        var r = CliRunner.Run("train", "--dataset", nets.Dataset, "--model", nets.Model("cnn.pt"), "--epochs", "3", "--batch-size", "16",
            "--lr", "0.05", "--threads", "1", "--quiet", "--out", run);
        Assert.True(r.ExitCode == 0, r.Error);

        var export = CliRunner.Run("export", run, "--out", folder["trained.pt"]);
        Assert.True(export.ExitCode == 0, export.Error);
        File.Copy(nets["cnn.pt"], folder["cnn.pt"]);
        File.Copy(nets["data.npz"], folder["data.npz"]);
        // PyTorch takes the exported state_dict into the scripted model (strict) and gets the accuracy Shatter measured
        var accuracy = JsonDocument.Parse(Python.Run(folder.Path, """
            import json, numpy as np, torch
            m = torch.jit.load("cnn.pt")
            m.load_state_dict(torch.load("trained.pt"), strict=True)
            m.eval()
            d = np.load("data.npz")
            x = torch.from_numpy(d["x_test"]).float().div(255).unsqueeze(1)
            x = (x - x.mean(dim=(1, 2, 3), keepdim=True)) / x.std(dim=(1, 2, 3), keepdim=True, unbiased=False).clamp(min=1 / 8)
            print(json.dumps((m(x).argmax(1) == torch.from_numpy(d["y_test"])).float().mean().item()))
            """)).RootElement.GetDouble();
        var summary = JsonSerializer.Deserialize<Shatter.Training.TrainSummary>(File.ReadAllText(Path.Combine(run, "summary.json")), Shatter.Json.Options)!;
        Assert.Equal(summary.FinalTestAccuracy, accuracy, 6);

        var attack = CliRunner.Run("attack", run, "--method", "fgsm", "--eps", "0,8/255", "--json");
        Assert.True(attack.ExitCode == 0, attack.Error);
        var points = JsonDocument.Parse(attack.Output).RootElement.GetProperty("points").EnumerateArray().ToList();
        var clean = points.First(p => p.GetProperty("set").GetString() == "test" && p.GetProperty("epsilon").GetDouble() == 0);
        Assert.Equal(summary.FinalTestAccuracy, clean.GetProperty("accuracy").GetDouble(), 6);
    }

    [Theory]
    [InlineData("five.pt", "returns (2, 5) for a batch of 2, not (2, 3)")]
    [InlineData("rgb.pt", "its forward must take (batch, 1, 8, 8) inputs")]
    [InlineData("Missing/Net.pt", "cannot be read")]
    public void A_model_that_does_not_fit_the_data_exits_2_with_one_sentence(string file, string problem)
    {
        using var folder = new TempFolder();
        var r = CliRunner.Run("train", "--dataset", nets.Dataset, "--model", nets.Model(file), "--epochs", "1", "--quiet", "--out", folder["run"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(problem, r.Error);
        Assert.Contains(nets[file], r.Error);                 // the path as written, its case kept
        Assert.Single(r.Error.Trim().Split('\n'));
    }
}
