using Shatter.Reporting.Analysis;

namespace Shatter.Reporting.Sections;

/// <summary>Figure 2b of the paper (spec figure2): Inception with and without batch norm, and the early-stopping reference.</summary>
public sealed class Figure2Section : IReportSection
{
    public string? Experiment => "figure2";
    public string Title => "Figure 2b: batch normalization and early stopping";

    public bool Applies(ReportContext context) => context.RunsOf("figure2").Count > 0;

    public IReadOnlyList<string> Write(ReportContext context, ReportWriter w)
    {
        w.Heading(2, Title);
        var runs = context.RunsOf("figure2");
        var chart = new Chart("Figure 2b: accuracy during training", "thousands of steps", "accuracy");
        var curves = new CsvTable("model", "seed", "epoch", "step", "train_accuracy", "test_accuracy");
        var seeds = new CsvTable("model", "seed", "final_train_accuracy", "final_test_accuracy", "best_test_accuracy", "best_epoch", "early_stopping_gain");
        var best = new CsvTable("model", "seeds", "best_test_accuracy", "best_epochs", "final_test_accuracy", "final_train_accuracy");
        var perSeed = Figure2Analysis.Seeds(runs);
        var models = runs.Select(r => r.Model).Distinct().ToList();
        for (int m = 0; m < models.Count; m++)
        {
            var ofModel = runs.Where(r => r.Done && r.Model == models[m]).ToList();
            if (ofModel.Count == 0) continue;
            foreach (var r in ofModel)
                foreach (var row in r.Epochs) curves.Add(models[m], r.Config.Seed, row.Epoch, row.Step, row.TrainAccuracy, row.TestAccuracy);
            var (train, test) = Figure2Analysis.Curves(ofModel);
            chart.Line($"{models[m]} train", [.. train.Select(p => p.X / 1000)], [.. train.Select(p => p.Mean)], [.. train.Select(p => p.Min)], [.. train.Select(p => p.Max)], colorIndex: m);
            chart.Line($"{models[m]} test", [.. test.Select(p => p.X / 1000)], [.. test.Select(p => p.Mean)], [.. test.Select(p => p.Min)], [.. test.Select(p => p.Max)], dashed: true, colorIndex: m);
            var of = perSeed.Where(s => s.Model == models[m]).ToList();
            var bestAcc = Spread.Of(of.Select(s => s.BestTest));
            chart.Reference($"{models[m]} best test {RunOutcome.Percent(bestAcc.Mean)}", bestAcc.Mean, m);
            foreach (var s in of) seeds.Add(s.Model, s.Seed, s.FinalTrain, s.FinalTest, s.BestTest, s.BestEpoch, s.EarlyStoppingGain);
            best.Add(models[m], of.Count, bestAcc.Mean, string.Join("; ", of.Select(s => s.BestEpoch)), Spread.Of(of.Select(s => s.FinalTest)).Mean, Spread.Of(of.Select(s => s.FinalTrain)).Mean);
        }
        foreach (var chance in runs.Select(r => r.ChanceAccuracy).Distinct()) chart.Reference($"chance {RunOutcome.Percent(chance)}", chance, 7);
        chart.LimitsY(0, 1.02);
        w.Figure(chart, "figure2b", "Training (solid) and test (dashed) accuracy during training, mean and min–max over seeds aligned on steps, with the best test accuracy seen (dotted): what early stopping could have reached. Paper: batch norm stabilises training and changes test accuracy by 3–4%.");
        w.Table(seeds, "figure2b-seeds", "Every seed: final and best test accuracy, the epoch of the best, and what early stopping would have gained (best − final).");
        w.Table(best, "figure2b-best", null);
        w.Table(curves, "figure2b", null, show: false);
        return Figure2Analysis.Findings(runs);
    }
}
