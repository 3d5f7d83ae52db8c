using Shatter.Measures;
using Shatter.Results;
using Shatter.Tests.Cli;
using Shatter.Tests.Data;
using Shatter.Training;

namespace Shatter.Tests.Measures;

[Collection(Training.SerialTorchRandom.Name)]
public sealed class RunMeasuresTests
{
    [Fact]
    public void Measures_of_a_run_are_stored_once_and_a_rerun_skips_them()
    {
        RealData.RequireFashionMnist();
        using var folder = new TempFolder();
        var run = folder["run"];
        Trainer.Run(new TrainConfig { TrainSize = 100, TestSize = 100, Model = "mlp-1x32", Epochs = 20, BatchSize = 10, Threads = 1 }, run);
        var r = CliRunner.Run("measures", run, "--examples", "100", "--draws", "1", "--csv", folder["m.csv"]);
        Assert.True(r.ExitCode == 0, r.Error);
        var file = RunMeasures.Read(Path.Combine(run, MeasureFile.FileName))!;
        Assert.Equal(MeasureGroups.All.Order(), file.Groups.Keys.Order());
        foreach (var name in new[] { "margin_p10", "frobenius_sum", "spectral_product", "path_norm", "spectral_complexity", "distance_from_init", "pac_bayes_sigma", "pac_bayes_mag_sigma", "sharpness" })
            Assert.True(file.Value(name) is > 0, $"{name} = {file.Value(name)}");
        // the training accuracy the margins imply is the trainer's own
        var summary = System.Text.Json.JsonSerializer.Deserialize<TrainSummary>(File.ReadAllText(Path.Combine(run, "summary.json")), Shatter.Json.Options)!;
        Assert.Equal(summary.FinalTrainAccuracy, file.Value("train_accuracy")!.Value, 6);
        Assert.Equal(file.Value("spectral_complexity")!.Value / file.Value("margin_p10")!.Value, file.Value("spectral_complexity_over_margin")!.Value, 9);
        // an MLP has no convolution: its operator norms are its layers' spectral norms
        Assert.Equal(file.Value("spectral_product")!.Value, file.Value("operator_product")!.Value, 12);
        Assert.Equal(file.Value("spectral_sum")!.Value, file.Value("operator_sum")!.Value, 12);
        Assert.Contains("spectral_complexity", File.ReadAllLines(folder["m.csv"])[0]);

        var bytes = File.ReadAllText(Path.Combine(run, MeasureFile.FileName));
        var again = CliRunner.Run("measures", run, "--examples", "100", "--draws", "1");
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(bytes, File.ReadAllText(Path.Combine(run, MeasureFile.FileName))); // nothing recomputed
        var more = CliRunner.Run("measures", run, "--examples", "100", "--draws", "2", "--groups", "pac-bayes");
        Assert.Equal(0, more.ExitCode);
        var changed = RunMeasures.Read(Path.Combine(run, MeasureFile.FileName))!;
        Assert.NotEqual(file.Groups[MeasureGroups.PacBayes], changed.Groups[MeasureGroups.PacBayes]);
        Assert.Equal(file.Value("sharpness"), changed.Value("sharpness"));

        // into the database's measures tables, and back
        using (SqliteStore.Open(folder["shatter.db"])) { }
        using (var store = SqliteStore.Open(folder["shatter.db"])) store.SaveMeasures("abc", changed);
        using (var store = SqliteStore.Open(folder["shatter.db"]))
        {
            var back = store.Measures()["abc"];
            Assert.Equal(changed.Value("path_norm"), back.Value("path_norm"));
            Assert.Equal(changed.Series["normalized_margin_percentiles"], back.Series["normalized_margin_percentiles"]);
        }
    }

    [Fact]
    public void Measures_of_a_folder_without_a_finished_run_fail_in_one_sentence()
    {
        using var folder = new TempFolder();
        var r = CliRunner.Run("measures", folder.Path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no finished run", r.Error);
    }
}
