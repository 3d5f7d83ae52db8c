using Shatter.Reporting.Analysis;

namespace Shatter.Reporting.Sections;

/// <summary>
/// The report section of the regression spec (beyond the paper): training and test MSE and R² against the noise level, one
/// curve per mode (shuffled targets, Gaussian targets, random inputs), per model; time to fit; regression.csv; the findings
/// (<see cref="RegressionAnalysis"/>, pure functions), the slides' 1×10 net next to the wide ones.
/// </summary>
public sealed class RegressionSection : IReportSection
{
    public string? Experiment => "regression";
    public string Title => "Beyond the paper: regression (house prices)";

    public bool Applies(ReportContext context) => context.RunsOf("regression").Count > 0;

    public IReadOnlyList<string> Write(ReportContext context, ReportWriter w)
    {
        var runs = context.RunsOf("regression").Where(r => r.Done).Select(r => (r.Config, r.Summary!)).ToList();
        w.Heading(2, Title);
        w.Paragraph("MLPs with squared loss on standardized targets until the training R² reaches the spec's target (docs/beyond.md). Noise level: the fraction P of training targets shuffled among themselves or replaced by Gaussian draws of the targets' mean and variance; random inputs at level 1. MSE is in units of the training targets' variance, so MSE = 1 − R² on the training set.");
        var points = RegressionAnalysis.Points(runs);
        foreach (var model in points.Select(p => p.Model).Distinct())
        {
            var r2 = new Chart($"R² against the noise level ({model})", "noise level (fraction of targets changed; random inputs: 1)", "R²");
            var mse = new Chart($"MSE against the noise level ({model})", "noise level (fraction of targets changed; random inputs: 1)", "MSE / target variance");
            int color = 0;
            foreach (var mode in points.Where(p => p.Model == model).GroupBy(p => p.Mode))
            {
                var line = mode.OrderBy(p => p.Level).ToList();
                double[] xs = [.. line.Select(p => p.Level)];
                r2.Line($"{mode.Key}, train", xs, [.. line.Select(p => p.TrainR2.Mean)], markers: true, colorIndex: color);
                r2.Line($"{mode.Key}, test", xs, [.. line.Select(p => p.TestR2.Mean)], dashed: true, markers: true, colorIndex: color);
                mse.Line($"{mode.Key}, train", xs, [.. line.Select(p => p.TrainMse.Mean)], markers: true, colorIndex: color);
                mse.Line($"{mode.Key}, test", xs, [.. line.Select(p => p.TestMse.Mean)], dashed: true, markers: true, colorIndex: color);
                color++;
            }
            w.Figure(r2, $"regression-r2-{model}", "Training (solid) and test (dashed) R² at the end of each run against the noise level, one colour per mode.");
            w.Figure(mse, $"regression-mse-{model}", "Training (solid) and test (dashed) MSE at the end of each run against the noise level, one colour per mode.");
        }
        var table = new CsvTable("model", "mode", "level", "runs", "train_mse", "test_mse", "train_r2", "test_r2", "fitted", "epochs_to_fit", "seconds_to_fit");
        foreach (var p in points)
            table.Add(p.Model, p.Mode, p.Level, p.Runs, p.TrainMse.Mean, p.TestMse.Mean, p.TrainR2.Mean, p.TestR2.Mean, p.Fitted,
                p.EpochsToFit.Count > 0 ? p.EpochsToFit.Mean : null, p.SecondsToFit.Count > 0 ? p.SecondsToFit.Mean : null);
        w.Table(table, "regression", "Every point: model, mode and noise level, final MSE and R² (means over seeds), how many runs fitted, and their epochs and wall seconds to fit.");
        return RegressionAnalysis.Findings(points);
    }
}
