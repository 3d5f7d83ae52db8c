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
