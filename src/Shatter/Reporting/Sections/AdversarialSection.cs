using Shatter.Adversarial;
using Shatter.Reporting.Analysis;

namespace Shatter.Reporting.Sections;

/// <summary>
/// Beyond the paper: accuracy under L∞ attacks against ε for models trained on true labels, partial noise and random
/// labels (the points 'shatter attack' stored), and Arpit et al. 2017's memorization measures over epochs, clean against
/// corrupted examples (the points runs with --memorization-epochs stored). Database-wide; analysis in <see cref="AdversarialAnalysis"/>.
/// </summary>
public sealed class AdversarialSection : IReportSection
{
    public string? Experiment => null;
    public const string SectionTitle = "Beyond the paper: adversarial examples and memorization";
    public string Title => SectionTitle;

    public bool Applies(ReportContext context) =>
        AdversarialAnalysis.AttackCurves(context.Distinct, context.Attacks).Count > 0
        || AdversarialAnalysis.MemorizationCurves(context.Distinct, context.Memorization).Count > 0;

    public IReadOnlyList<string> Write(ReportContext context, ReportWriter w)
    {
        var attacks = AdversarialAnalysis.AttackCurves(context.Distinct, context.Attacks);
        var memorization = AdversarialAnalysis.MemorizationCurves(context.Distinct, context.Memorization);
        w.Heading(2, Title);
        var findings = new List<string>();
        if (attacks.Count > 0)
        {
            w.Paragraph("Accuracy of each run's final model under an L∞ attack of size ε in pixel units (before the whitening, which the attack differentiates through; docs/beyond.md), on the test set (true labels) and the training set (the labels it was trained on). Mean over seeds, with their range.");
            foreach (var g in attacks.GroupBy(p => (p.Model, p.Method, p.Set)))
            {
                var chart = new Chart($"{g.Key.Method.ToUpperInvariant()} on {g.Key.Model}: {g.Key.Set} accuracy against ε", "ε (pixel units)", $"{g.Key.Set} accuracy under attack");
                int color = 0;
                foreach (var r in g.GroupBy(p => p.Randomization))
                {
                    var line = r.OrderBy(p => p.Epsilon).ToList();
                    chart.Line(r.Key, [.. line.Select(p => p.Epsilon)], [.. line.Select(p => p.Accuracy.Mean)], [.. line.Select(p => p.Accuracy.Min)], [.. line.Select(p => p.Accuracy.Max)], markers: true, colorIndex: color++);
                }
                w.Figure(chart, $"attack-{g.Key.Method}-{g.Key.Model}-{g.Key.Set}", $"{g.Key.Set} accuracy under {g.Key.Method.ToUpperInvariant()} against ε, one curve per randomization of the training data.");
            }
            var table = new CsvTable("model", "randomization", "label_noise", "method", "set", "epsilon", "epsilon_text", "accuracy", "accuracy_min", "accuracy_max", "runs");
            foreach (var p in attacks)
                table.Add(p.Model, p.Randomization, p.LabelNoise, p.Method, p.Set, p.Epsilon, p.EpsilonText, p.Accuracy.Mean, p.Accuracy.Min, p.Accuracy.Max, p.Accuracy.Count);
            w.Table(table, "attacks", "Accuracy under attack for every model, randomization, attack, set and ε (mean, min and max over seeds).", show: false);
            findings.AddRange(AdversarialAnalysis.AttackFindings(attacks));
        }
        if (memorization.Count > 0)
        {
            w.Paragraph("Arpit et al. 2017's memorization measures over training, on a seeded subsample of each run's training set split into clean and corrupted examples: the critical sample ratio (the share of examples with a differently classified point within L∞ radius r = 0.3/255, found by their sign-gradient Langevin search) and the loss sensitivity ‖∂L/∂x‖₁ (docs/beyond.md).");
            foreach (var model in memorization.Select(p => p.Model).Distinct())
            {
                var csr = new Chart($"Critical sample ratio over training ({model})", "epoch", "critical sample ratio");
                var ls = new Chart($"Loss sensitivity over training ({model})", "epoch", "mean ‖∂L/∂x‖₁");
                var shown = memorization.Where(p => p.Model == model && p.Group != "all" && p.Examples > 0).ToList();
                var randomizations = shown.Select(p => p.Randomization).Distinct().ToList();
                foreach (var r in shown.GroupBy(p => (p.Randomization, p.Group)))
                {
                    int color = randomizations.IndexOf(r.Key.Randomization); // clean and corrupted of one randomization share a colour
                    var line = r.OrderBy(p => p.Epoch).ToList();
                    double[] xs = [.. line.Select(p => (double)p.Epoch)];
                    bool dashed = r.Key.Group == "corrupted";
                    csr.Line($"{r.Key.Randomization}, {r.Key.Group}", xs, [.. line.Select(p => p.CriticalSampleRatio.Mean)], dashed: dashed, markers: true, colorIndex: color);
                    ls.Line($"{r.Key.Randomization}, {r.Key.Group}", xs, [.. line.Select(p => p.LossSensitivity.Mean)], dashed: dashed, markers: true, colorIndex: color);
                }
                w.Figure(csr, $"memorization-csr-{model}", "Critical sample ratio at the measured epochs; solid: clean examples, dashed: corrupted ones.");
                w.Figure(ls, $"memorization-loss-sensitivity-{model}", "Loss sensitivity at the measured epochs; solid: clean examples, dashed: corrupted ones.");
            }
            var table = new CsvTable("model", "randomization", "label_noise", "group", "epoch", "examples", "critical_sample_ratio", "loss_sensitivity", "runs");
            foreach (var p in memorization)
                table.Add(p.Model, p.Randomization, p.LabelNoise, p.Group, p.Epoch, p.Examples, p.CriticalSampleRatio.Mean, p.LossSensitivity.Mean, p.CriticalSampleRatio.Count);
            w.Table(table, "memorization", "Memorization measures per model, randomization, example group and epoch (means over seeds).", show: false);
            findings.AddRange(AdversarialAnalysis.MemorizationFindings(memorization));
        }
        return findings;
    }
}
