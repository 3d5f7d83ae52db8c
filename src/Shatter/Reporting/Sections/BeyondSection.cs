using Shatter.Reporting.Analysis;

namespace Shatter.Reporting.Sections;

/// <summary>
/// The report section of the beyond-the-paper spec (experiments/beyond.yaml): per model, true against random labels — epochs
/// to fit, the slowdown and the test accuracies — as a figure, beyond.csv and findings beside the paper's claim
/// (<see cref="BeyondAnalysis"/>, pure functions). The spec's generic section draws its learning curves.
/// </summary>
public sealed class BeyondSection : IReportSection
{
    public string? Experiment => "beyond";
    public string Title => "Beyond the paper: other architectures on random labels";

    public bool Applies(ReportContext context) => context.RunsOf("beyond").Count > 0;

    public IReadOnlyList<string> Write(ReportContext context, ReportWriter w)
    {
        var models = BeyondAnalysis.Models(context.RunsOf("beyond"));
        w.Heading(2, Title);
        w.Paragraph("Does a small Vision Transformer or a row-by-row recurrent network fit random labels as the paper's networks do, and at what slowdown against true labels? Each model on true and random labels until it fits its training set (docs/beyond.md); the paper's MLP 1x512 as the reference.");
        string[] categories = [.. models.Select(m => m.Model)];
        double[][] Of(Func<BeyondModel, Spread> trueLabels, Func<BeyondModel, Spread> randomLabels, Func<Spread, double> f) =>
            [[.. models.Select(m => trueLabels(m).Count > 0 ? f(trueLabels(m)) : double.NaN)], [.. models.Select(m => randomLabels(m).Count > 0 ? f(randomLabels(m)) : double.NaN)]];
        var epochs = new Chart("Epochs to fit, true against random labels", "model", "epochs to fit");
        epochs.GroupedBars(categories, ["true labels", "random labels"], Of(m => m.TrueEpochs, m => m.RandomEpochs, s => s.Mean), Of(m => m.TrueEpochs, m => m.RandomEpochs, s => s.Min), Of(m => m.TrueEpochs, m => m.RandomEpochs, s => s.Max));
        w.Figure(epochs, "beyond-epochs-to-fit", "Epochs until the training set is fitted, per model, true and random labels (mean over seeds with min–max whiskers; a model that did not fit has no bar).");
        var test = new Chart("Test accuracy, true against random labels", "model", "test accuracy");
        test.GroupedBars(categories, ["true labels", "random labels"], Of(m => m.TrueTest, m => m.RandomTest, s => s.Mean), Of(m => m.TrueTest, m => m.RandomTest, s => s.Min), Of(m => m.TrueTest, m => m.RandomTest, s => s.Max));
        w.Figure(test, "beyond-test-accuracy", "Test accuracy (true test labels) at the end of training, per model, true and random labels.");
        var table = new CsvTable("model", "seeds", "true_fitted", "true_epochs_to_fit", "random_fitted", "random_epochs_to_fit", "slowdown", "slowdown_min", "slowdown_max", "true_test_accuracy", "random_test_accuracy", "chance_accuracy");
        foreach (var m in models)
            table.Add(m.Model, Math.Max(m.TrueLabels.Count, m.RandomLabels.Count), m.TrueFitted, m.TrueEpochs.Count > 0 ? m.TrueEpochs.Mean : null, m.RandomFitted,
                m.RandomEpochs.Count > 0 ? m.RandomEpochs.Mean : null, m.Slowdown.Count > 0 ? m.Slowdown.Mean : null, m.Slowdown.Count > 0 ? m.Slowdown.Min : null,
                m.Slowdown.Count > 0 ? m.Slowdown.Max : null, m.TrueTest.Mean, m.RandomTest.Mean, m.Chance);
        w.Table(table, "beyond", "Per model: whether every seed fitted, epochs to fit (mean over the seeds that fitted), random labels' steps to fit relative to true labels' of the same seed (a lower bound where random labels did not fit), and test accuracies.");
        return BeyondAnalysis.Findings(models);
    }
}
