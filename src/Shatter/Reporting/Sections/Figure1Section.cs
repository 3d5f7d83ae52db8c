using Shatter.Reporting.Analysis;

namespace Shatter.Reporting.Sections;

/// <summary>Figure 1a/1b/1c of the paper (spec figure1): fitting random labels and random pixels.</summary>
public sealed class Figure1Section : IReportSection
{
    public string? Experiment => "figure1";
    public string Title => "Figure 1: fitting random labels and random pixels";

    public bool Applies(ReportContext context) => context.RunsOf("figure1").Count > 0;

    public IReadOnlyList<string> Write(ReportContext context, ReportWriter w)
    {
        w.Heading(2, Title);
        var runs = context.RunsOf("figure1");
        var done = runs.Where(r => r.Done).ToList();
        var models = runs.Select(r => r.Model).Distinct().ToList();

        // 1a: training loss against thousands of steps, one curve per randomization, per model
        var lossTable = new CsvTable("model", "randomization", "step", "mean_loss", "min", "max", "runs");
        foreach (var model in models)
        {
            var chart = new Chart($"Figure 1a: training loss ({model})", "thousands of steps", "average training loss");
            foreach (var (randomization, curve) in Figure1Analysis.LossCurves([.. runs.Where(r => r.Model == model)]))
            {
                chart.Line(randomization, [.. curve.Select(p => p.X / 1000)], [.. curve.Select(p => p.Mean)], [.. curve.Select(p => p.Min)], [.. curve.Select(p => p.Max)]);
                foreach (var p in curve) lossTable.Add(model, randomization, p.X, p.Mean, p.Min, p.Max, p.Runs);
            }
            w.Figure(chart, $"figure1a-{model}", $"Average training loss for each randomization, {model}: each run's per-step losses averaged in common bins of steps, then the mean (line) and min–max (band) over the seeds that reached that step — a seed that fitted early leaves the average there. Paper: Inception on CIFAR-10; every curve goes to zero, random labels last.");
        }
        w.Table(lossTable, "figure1a", null, show: false);

        var summary = new CsvTable("model", "randomization", "seed", "label_noise", "inputs", "fitted", "outcome", "steps_to_fit", "epochs_to_fit", "steps", "final_train_accuracy", "final_test_accuracy", "test_error", "wall_seconds");
        foreach (var r in done)
            summary.Add(r.Model, r.Randomization, r.Config.Seed, r.Config.LabelNoise, ReportText.Name(r.Config.Inputs), r.Summary!.Fitted, RunOutcome.Describe(r.Config, r.Summary), r.Summary.StepsToFit, r.Summary.EpochsToFit,
                r.Summary.Steps, r.Summary.FinalTrainAccuracy, r.Summary.FinalTestAccuracy, 1 - r.Summary.FinalTestAccuracy, r.Summary.WallSeconds);
        w.Table(summary, "figure1", "Every figure-1 run: whether it fitted its training set, when, and its test error.");

        // 1b and 1c: label-noise runs only (true inputs)
        var relative = new CsvTable("model", "label_noise", "seeds", "relative_time_to_fit", "min", "max", "all_fitted", "relative_time_to_99_percent", "last_percent_share");
        var error = new CsvTable("model", "label_noise", "seeds", "test_error", "min", "max", "chance_error");
        var chartB = new Chart("Figure 1b: time to fit relative to true labels", "label corruption", "steps to fit / steps to fit true labels");
        var chartC = new Chart("Figure 1c: test error", "label corruption", "test error");
        var levels = Figure1Analysis.NoiseLevels(runs);
        for (int m = 0; m < models.Count; m++)
        {
            var ofModel = levels.Where(l => l.Model == models[m]).ToList();
            foreach (var l in ofModel)
            {
                relative.Add(l.Model, l.P, l.Runs, l.RelativeTimeToFit.Mean, l.RelativeTimeToFit.Min, l.RelativeTimeToFit.Max, l.AllFitted, l.RelativeTimeTo99.Mean, l.LastPercentShare.Mean);
                error.Add(l.Model, l.P, l.Runs, l.TestError.Mean, l.TestError.Min, l.TestError.Max, l.ChanceError);
            }
            var b = ofModel.Where(l => l.RelativeTimeToFit.Count > 0).ToList();
            chartB.Line(models[m], [.. b.Select(l => l.P)], [.. b.Select(l => l.RelativeTimeToFit.Mean)], [.. b.Select(l => l.RelativeTimeToFit.Min)], [.. b.Select(l => l.RelativeTimeToFit.Max)], markers: true, colorIndex: m);
            chartC.Line(models[m], [.. ofModel.Select(l => l.P)], [.. ofModel.Select(l => l.TestError.Mean)], [.. ofModel.Select(l => l.TestError.Min)], [.. ofModel.Select(l => l.TestError.Max)], markers: true, colorIndex: m);
        }
        foreach (var chance in runs.Select(r => 1 - r.ChanceAccuracy).Distinct())
            chartC.Reference($"chance ({RunOutcome.Percent(chance)} error)", chance, 7);
        chartC.LimitsY(0, 1);
        w.Figure(chartB, "figure1b", "Steps until 100% training accuracy, relative to the true-label run of the same model and seed, against the fraction of corrupted labels (1 = random labels). Paper: a small constant factor.");
        w.Table(relative, "figure1b", "Time to fit per label-noise level (mean, min and max over seeds), and where it goes: the time to 99% training accuracy relative to the true-label run's, and the share of the steps spent on the last 1% of the training set.");
        w.Figure(chartC, "figure1c", "Test error (true test labels) at the end of training against label corruption, with chance (1 − 1/classes) dotted. Paper: rises steadily towards chance, 90% for 10 classes.");
        w.Table(error, "figure1c", null);
        return Figure1Analysis.Findings(runs);
    }
}
