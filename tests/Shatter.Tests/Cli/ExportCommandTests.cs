using Shatter.Models;
using Shatter.Tests.Data;
using Shatter.Training;
using static TorchSharp.torch;

namespace Shatter.Tests.Cli;

public sealed class ExportCommandTests
{
    [Fact]
    public void Export_writes_the_final_weights_as_a_state_dict_that_loads_back()
    {
        using var folder = new TempFolder();
        var dir = folder["run"];
        Directory.CreateDirectory(dir);
        using var model = ModelRegistry.Create("mlp-1x8", (1, 4, 4), 3, new ModelOptions());
        RunWeights.Save(model, Path.Combine(dir, RunWeights.FinalFile));
        File.WriteAllText(Path.Combine(dir, "summary.json"), "{}");
        var r = CliRunner.Run("export", dir, "--out", folder["out/model.pt"]);
        Assert.Equal(0, r.ExitCode);
        using var back = ModelRegistry.Create("mlp-1x8", (1, 4, 4), 3, new ModelOptions());
        RunWeights.Load(back, folder["out/model.pt"]);
        Assert.Equal(model.parameters().Select(p => p.sum().item<float>()), back.parameters().Select(p => p.sum().item<float>()));
    }

    [Fact]
    public void Export_writes_the_training_set_the_measures_see_images_as_evaluated_and_labels_as_trained()
    {
        RealData.RequireFashionMnist();
        using var folder = new TempFolder();
        var run = folder["run"];
        var config = new TrainConfig { TrainSize = 60, TestSize = 20, Model = "mlp-1x8", Epochs = 1, BatchSize = 20, Threads = 1, LabelNoise = 0.5 };
        Trainer.Run(config, run);
        var r = CliRunner.Run("export", run, "--training-data", folder["out/data.pt"]);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.False(File.Exists(folder["out/data.pt.tmp"]));
        System.Collections.Hashtable back;
        using (var stream = File.OpenRead(folder["out/data.pt"])) back = TorchSharp.PyBridge.PyTorchUnpickler.UnpickleStateDict(stream);
        using var x = (Tensor)back["x"]!;
        using var y = (Tensor)back["y"]!;
        using var data = TrainingData.Prepare(config, CPU);
        Assert.Equal(new long[] { 60, 1, 28, 28 }, x.shape);
        Assert.Equal(ScalarType.Int64, y.dtype);
        Assert.True(x.eq(data.TrainEvalX).all().item<bool>());
        Assert.True(y.eq(data.TrainY).all().item<bool>());
        Assert.True(data.FractionLabelsChanged > 0); // the labels as trained, noise included, not the true ones
    }

    [Fact]
    public void Export_of_an_unfinished_run_fails_in_one_sentence()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder["run"]);
        var r = CliRunner.Run("export", folder["run"], "--out", folder["model.pt"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no finished run", r.Error);
        Assert.False(File.Exists(folder["model.pt"]));
    }
}
