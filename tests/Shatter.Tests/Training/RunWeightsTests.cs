using System.Text.Json;
using Shatter.Models;
using Shatter.Tests.Data;
using Shatter.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Tests.Training;

[Collection(SerialTorchRandom.Name)]
public sealed class RunWeightsTests
{
    static float[] Flat(nn.Module model) => [.. model.parameters().SelectMany(p => p.detach().cpu().data<float>().ToArray())];

    [Fact]
    public void Saved_weights_read_back_into_another_model_exactly()
    {
        using var folder = new TempFolder();
        manual_seed(1);
        using var a = ModelRegistry.Create("inception", (1, 28, 28), 10, new ModelOptions());
        manual_seed(2);
        using var b = ModelRegistry.Create("inception", (1, 28, 28), 10, new ModelOptions());
        using (var noGrad = no_grad())
            foreach (var (_, buffer) in a.named_buffers()) if (buffer.is_floating_point()) buffer.uniform_(0.5, 1.5);
        Assert.NotEqual(Flat(a), Flat(b));
        RunWeights.Save(a, folder["w.pt"]);
        RunWeights.Load(b, folder["w.pt"]);
        Assert.Equal(Flat(a), Flat(b));
        Assert.Equal(a.named_buffers().Select(p => p.buffer.to_type(ScalarType.Float64).sum().item<double>()), b.named_buffers().Select(p => p.buffer.to_type(ScalarType.Float64).sum().item<double>()));
    }

    [Fact]
    public void Weights_of_another_model_are_refused_in_one_sentence()
    {
        using var folder = new TempFolder();
        using var a = ModelRegistry.Create("mlp-1x8", (1, 4, 4), 3, new ModelOptions());
        using var b = ModelRegistry.Create("mlp-1x16", (1, 4, 4), 3, new ModelOptions());
        RunWeights.Save(a, folder["w.pt"]);
        var e = Assert.Throws<ShatterException>(() => RunWeights.Load(b, folder["w.pt"]));
        Assert.Contains("another model", e.Message);
    }

    [Fact]
    public void A_run_keeps_its_initial_and_final_weights_named_in_run_json()
    {
        RealData.RequireFashionMnist();
        using var folder = new TempFolder();
        var config = new TrainConfig { TrainSize = 200, TestSize = 100, Model = "mlp-1x16", Epochs = 1, BatchSize = 50, Threads = 1, Seed = 3 };
        Trainer.Run(config, folder["run"]);
        var run = new RunFolder(folder["run"]);
        using var doc = JsonDocument.Parse(File.ReadAllText(run.RunJson));
        Assert.Equal("weights-initial.pt", doc.RootElement.GetProperty("weights").GetProperty("initial").GetString());
        Assert.Equal("weights-final.pt", doc.RootElement.GetProperty("weights").GetProperty("final").GetString());

        // the initial weights are the seeded initialisation; the final ones moved away from them
        manual_seed(Seeds.Derive(3, "init"));
        using var fresh = ModelRegistry.Create("mlp-1x16", (1, 28, 28), 10, new ModelOptions());
        using var initial = ModelRegistry.Create("mlp-1x16", (1, 28, 28), 10, new ModelOptions());
        using var final = ModelRegistry.Create("mlp-1x16", (1, 28, 28), 10, new ModelOptions());
        RunWeights.Load(initial, run.InitialWeights);
        RunWeights.Load(final, run.FinalWeights);
        Assert.Equal(Flat(fresh), Flat(initial));
        Assert.NotEqual(Flat(initial), Flat(final));
    }
}
