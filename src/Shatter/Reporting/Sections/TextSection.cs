using Shatter.Reporting.Analysis;

namespace Shatter.Reporting.Sections;

/// <summary>
/// The report section of the text spec (experiments/text.yaml): per model, test accuracy against the label noise, epochs to
/// fit per randomization, text.csv, and findings beside the paper's image results (<see cref="TextAnalysis"/>, pure
/// functions). The spec's generic section draws its learning curves.
/// </summary>
public sealed class TextSection : IReportSection
{
    public string? Experiment => "text";
    public string Title => "Beyond the paper: randomization tests on text";

    public bool Applies(ReportContext context) => context.RunsOf("text").Count > 0;

    public IReadOnlyList<string> Write(ReportContext context, ReportWriter w)
    {
        var points = TextAnalysis.Points(context.RunsOf("text"));
        w.Heading(2, Title);
        w.Paragraph("Does a transformer fit random labels on real text, at what slowdown over true labels, and how does its test accuracy fall with label noise? Debian's fortunes corpus (32 topic categories, GPT-2 tokens; docs/user-data.md), each randomization until the training set is fitted: true labels, label noise, random labels, shuffled tokens (each text's tokens reordered: the analogue of random pixels) and random tokens (drawn from the training unigram: the analogue of Gaussian images).");
        foreach (var model in points.GroupBy(p => p.Model))
        {
            var curve = model.Where(p => p.Randomization == TextAnalysis.TrueLabels || p.Level > 0).OrderBy(p => p.Level).ToList();
            if (curve.Count >= 2)
            {
                double[] xs = [.. curve.Select(p => p.Level)];
                var chart = new Chart($"Accuracy against label noise ({model.Key})", "label noise (probability a training label is redrawn)", "accuracy");
                chart.Line("train", xs, [.. curve.Select(p => p.TrainAccuracy.Mean)], markers: true, colorIndex: 0);
                chart.Line("test", xs, [.. curve.Select(p => p.TestAccuracy.Mean)], dashed: true, markers: true, colorIndex: 1);
                chart.Reference("chance", curve[0].Chance, 2);
                w.Figure(chart, $"text-noise-{model.Key}", "Training (solid) and test (dashed) accuracy at the end of each run against the label noise level; chance is 1 / classes.");
            }
            var bars = model.Where(p => p.Fitted > 0).ToList();
            if (bars.Count > 0)
            {
                var epochs = new Chart($"Epochs to fit ({model.Key})", "randomization", "epochs to fit");
                epochs.GroupedBars([.. bars.Select(p => p.Randomization)], ["epochs to fit"], [[.. bars.Select(p => p.Epochs.Mean)]], [[.. bars.Select(p => p.Epochs.Min)]], [[.. bars.Select(p => p.Epochs.Max)]]);
                w.Figure(epochs, $"text-epochs-{model.Key}", "Epochs until the training set is fitted, per randomization (mean over seeds with min–max whiskers; one that did not fit has no bar).");
            }
        }
        var table = new CsvTable("model", "randomization", "label_noise", "runs", "fitted", "epochs_to_fit", "slowdown", "train_accuracy", "test_accuracy", "chance_accuracy");
        foreach (var p in points)
            table.Add(p.Model, p.Randomization, p.Level, p.Runs, p.Fitted, p.Epochs.Count > 0 ? p.Epochs.Mean : null, p.Slowdown.Count > 0 ? p.Slowdown.Mean : null,
                p.TrainAccuracy.Mean, p.TestAccuracy.Mean, p.Chance);
        w.Table(table, "text", "Per model and randomization: runs and how many fitted, epochs to fit (mean over those that fitted), steps relative to true labels' of the same seed (a lower bound where a run did not fit), final accuracies and chance.");
        return TextAnalysis.Findings(points);
    }
}
