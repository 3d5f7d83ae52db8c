using Shatter.Corruptions;
using Shatter.Reporting;
using Shatter.Reporting.Analysis;
using Shatter.Reporting.Sections;
using Shatter.Tests.Data;
using Shatter.Training;

namespace Shatter.Tests.Reporting.Sections;

/// <summary>The regression section: MSE and R² against the noise level per mode, time to fit, the 1×10 net against wide ones.</summary>
public sealed class RegressionSectionTests
{
    static ReportRun Run(string model, double p, TargetNoiseMode mode, InputMode inputs, double trainR2, double testR2, int? epochsToFit, long seed = 1) =>
        ReportRun.Of("regression", new Dictionary<string, string>(),
            new TrainConfig { Dataset = "house-prices", Model = model, LabelNoise = p, TargetNoiseMode = mode, Inputs = inputs, Seed = seed },
            new TrainSummary
            {
                FinalTrainAccuracy = trainR2, FinalTestAccuracy = testR2, FinalTrainLoss = 1 - trainR2, FinalTestLoss = 1 - testR2,
                StepsToFit = epochsToFit * 13, EpochsToFit = epochsToFit, Steps = (epochsToFit ?? 1000) * 13L, WallSeconds = (epochsToFit ?? 1000) / 10.0,
                StopReason = epochsToFit is null ? "epochs" : "fit",
            });

    static readonly ReportRun[] Runs =
    [
        Run("mlp-10", 0, TargetNoiseMode.Shuffle, InputMode.True, 0.95, 0.8, null),
        Run("mlp-10", 1, TargetNoiseMode.Shuffle, InputMode.True, 0.3, -0.2, null),
        Run("mlp-10", 1, TargetNoiseMode.Gaussian, InputMode.True, 0.2, -0.1, null),
        Run("mlp-10", 0, TargetNoiseMode.Shuffle, InputMode.Random, 0.4, -0.8, null),
        Run("mlp-512", 0, TargetNoiseMode.Shuffle, InputMode.True, 0.99, 0.82, 300),
        Run("mlp-512", 0, TargetNoiseMode.Shuffle, InputMode.True, 0.99, 0.80, 100, seed: 2),
        Run("mlp-512", 0.5, TargetNoiseMode.Shuffle, InputMode.True, 0.99, 0.1, 600),
        Run("mlp-512", 1, TargetNoiseMode.Shuffle, InputMode.True, 0.9, -0.7, null),
        Run("mlp-512", 1, TargetNoiseMode.Gaussian, InputMode.True, 0.99, -0.9, 700),
        Run("mlp-512", 0, TargetNoiseMode.Shuffle, InputMode.Random, 0.99, -0.6, 80),
    ];

    [Fact]
    public void Points_put_the_true_targets_at_level_zero_of_every_mode_and_average_seeds()
    {
        var points = RegressionAnalysis.Points([.. Runs.Select(r => (r.Config, r.Summary!))]);
        var wide = points.Where(p => p.Model == "mlp-512").ToList();
        Assert.Equal(["gaussian targets", "random inputs", "shuffled targets"], wide.Select(p => p.Mode).Distinct());
        Assert.All(wide.GroupBy(p => p.Mode), g => Assert.Equal(0, g.First().Level));
        var truth = wide.First(p => p.Level == 0);
        Assert.Equal((2, 2, 200.0), (truth.Runs, truth.Fitted, truth.EpochsToFit.Mean));
        Assert.Equal(0.81, truth.TestR2.Mean, 12);
        Assert.Equal(0.19, truth.TestMse.Mean, 12);
        Assert.Equal([0, 0.5, 1], wide.Where(p => p.Mode == "shuffled targets").Select(p => p.Level));
        Assert.Equal([0, 1], wide.Where(p => p.Mode == "random inputs").Select(p => p.Level));
    }

    [Fact]
    public void Findings_say_what_each_model_fitted_and_compare_the_narrow_net_with_the_wide_one()
    {
        var findings = RegressionAnalysis.Findings(RegressionAnalysis.Points([.. Runs.Select(r => (r.Config, r.Summary!))]));
        Assert.Equal(3, findings.Count);
        Assert.StartsWith("mlp-10: true targets not fitted (training R² 0.95, test R² 0.80); gaussian targets (P = 1) not fitted", findings[0]);
        Assert.Contains("mlp-512: true targets fitted in 200 epochs, test R² 0.81; gaussian targets (P = 1) fitted in 700 epochs, test R² -0.90; random inputs fitted in 80 epochs", findings[1]);
        Assert.Equal("The slides' narrow net mlp-10 fitted 0 of 4 settings, the widest, mlp-512, 3 of 4.", findings[2]);
        Assert.Equal(1024, RegressionAnalysis.Width("mlp-2x512"));
        Assert.Equal(0, RegressionAnalysis.Width("vit-6x128"));
    }

    [Fact]
    public void The_regression_spec_gets_its_section_with_r2_and_mse_figures_per_model_and_regression_csv()
    {
        using var folder = new TempFolder();
        var context = new ReportContext(folder["shatter.db"], "test", Runs, _ => null);
        var outcome = ReportBuilder.Build(context, folder["report"], experiment: "regression");
        Assert.Contains("<h2>Beyond the paper: regression (house prices)</h2>", File.ReadAllText(outcome.HtmlPath));
        foreach (var figure in new[] { "regression-r2-mlp-10", "regression-mse-mlp-512" })
            Assert.True(File.Exists(folder[$"report/figures/{figure}.png"]), figure);
        var csv = File.ReadAllLines(folder["report/tables/regression.csv"]);
        Assert.Equal("model,mode,level,runs,train_mse,test_mse,train_r2,test_r2,fitted,epochs_to_fit,seconds_to_fit", csv[0]);
        var section = Assert.Single(outcome.Sections, s => s.Experiment == "regression" && s.Title.StartsWith("Beyond the paper: regression", StringComparison.Ordinal));
        Assert.Equal(3, section.Findings.Count);
    }
}
