using Shatter.Experiments;
using Shatter.Tests.Data;
using Shatter.Tests.Models;

namespace Shatter.Tests.Experiments;

/// <summary>A spec naming a <c>torchscript:PATH</c> model: the file's SHA-256 is part of every run's identity.</summary>
public sealed class TorchScriptSpecTests(ScriptedNets nets) : IClassFixture<ScriptedNets>
{
    static ExperimentSpec Spec(string model, string dataset) => SpecParser.Parse($"""
        name: scripted
        description: a scripted model on true and random labels
        shared:
          model: torchscript:{model}
          dataset: npz:{dataset}
          epochs: 2
        scales:
          quick:
            description: seconds
        grid:
          randomization:
            - {"{"} name: true labels, label_noise: 0 {"}"}
            - {"{"} name: random labels, label_noise: 1.0 {"}"}
        """, "scripted.yaml");

    [Fact]
    public void A_changed_model_file_at_the_same_path_plans_new_runs()
    {
        using var folder = new TempFolder();
        var model = folder["Net.pt"];
        File.Copy(nets["cnn.pt"], model);
        var before = Spec(model, nets["data.npz"]).Expand("quick");
        Assert.Equal(2, before.Count);
        Assert.All(before, r => Assert.Equal(nets.Sha256["cnn.pt"], r.Config.ModelSha256));
        Assert.All(before, r => Assert.Equal("torchscript:" + model, r.Config.Model));   // the path as written, its case kept
        Assert.Equal(before.Select(r => r.Hash), Spec(model, nets["data.npz"]).Expand("quick").Select(r => r.Hash));

        File.Copy(nets["other.pt"], model, overwrite: true);
        var after = Spec(model, nets["data.npz"]).Expand("quick");
        Assert.All(after, r => Assert.Equal(nets.Sha256["other.pt"], r.Config.ModelSha256));
        Assert.Empty(before.Select(r => r.Hash).Intersect(after.Select(r => r.Hash)));
    }

    [Fact]
    public void A_spec_whose_model_file_is_missing_fails_in_one_sentence_naming_it()
    {
        using var folder = new TempFolder();
        var e = Assert.Throws<ShatterException>(() => Spec(folder["none.pt"], nets["data.npz"]).Expand("quick"));
        Assert.Contains(folder["none.pt"], e.Message);
        Assert.Contains("cannot be read", e.Message);
    }
}
