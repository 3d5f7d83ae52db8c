using Shatter.Measures;
using Shatter.Results;
using Shatter.Tests.Cli;
using Shatter.Tests.Data;
using Shatter.Tests.Models;
using Shatter.Training;

namespace Shatter.Tests.Measures;

/// <summary>
/// The measures of a run whose model is TorchScript: those that walk the layers (BN-folded norms, spectral complexity,
/// path norm, distance from init, operator norms) say they are not defined rather than compute over the zero layers
/// the scripted graph shows; the margins, PAC-Bayes σ′ (both) and sharpness, which need only logits and losses, are measured.
/// </summary>
[Collection(Training.SerialTorchRandom.Name)]
public sealed class RunMeasuresTorchScriptTests(ScriptedNets nets) : IClassFixture<ScriptedNets>
{
    [Fact]
    public void Layer_measures_of_a_torchscript_run_are_not_defined_and_the_others_are_measured()
    {
        using var folder = new TempFolder();
        var run = folder["run"];
        Trainer.Run(new TrainConfig { Dataset = nets.Dataset, Model = nets.Model("cnn.pt"), Epochs = 5, BatchSize = 16, LearningRate = 0.05, Threads = 1 }, run);
        var r = CliRunner.Run("measures", run, "--examples", "48", "--draws", "1");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("not defined for a TorchScript model", r.Output);

        var file = RunMeasures.Read(Path.Combine(run, MeasureFile.FileName))!;
        Assert.Equal(MeasureGroups.All.Order(), file.Groups.Keys.Order());       // every group done, none to redo
        foreach (var group in new[] { MeasureGroups.Norms, MeasureGroups.OperatorNorms })
            Assert.Contains("not defined for a TorchScript model", file.Notes[group]);
        foreach (var name in new[] { "spectral_complexity", "frobenius_sum", "path_norm", "distance_from_init", "operator_product", "layers" })
            Assert.False(file.Values.ContainsKey(name), $"{name} = {file.Value(name)} for a model whose layers are hidden");
        Assert.False(file.Series.ContainsKey("normalized_margin_percentiles"));
        foreach (var name in new[] { "margin_median", "pac_bayes_sigma", "pac_bayes_mag_sigma", "sharpness", "parameters" })
            Assert.True(file.Value(name) is > 0, $"{name} = {file.Value(name)}");
        var summary = System.Text.Json.JsonSerializer.Deserialize<TrainSummary>(File.ReadAllText(Path.Combine(run, "summary.json")), Shatter.Json.Options)!;
        Assert.Equal(summary.FinalTrainAccuracy, file.Value("train_accuracy")!.Value, 6);   // the margins see the trained model
        Assert.Equal(101, file.Series["margin_percentiles"].Length);
    }
}
