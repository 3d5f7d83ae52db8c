using Shatter.Reporting.Analysis;

namespace Shatter.Reporting.Sections;

/// <summary>
/// The report section of experiments/semisupervised.yaml (issue 21): per method (supervised, pseudo-label, FixMatch), the
/// share of corrupted labelled examples memorized and the test accuracy against label noise, as figures, semisupervised.csv
/// and findings beside the paper's Table 1, Lee (2013) and FixMatch (<see cref="SemiSupervisedAnalysis"/>, pure functions).
/// </summary>
public sealed class SemiSupervisedSection : IReportSection
{
    public string? Experiment => SemiSupervisedAnalysis.Spec;
    public string Title => "Beyond the paper: does unlabelled data stop the memorization of wrong labels?";

    public bool Applies(ReportContext context) => context.RunsOf(SemiSupervisedAnalysis.Spec).Count > 0;

    public IReadOnlyList<string> Write(ReportContext context, ReportWriter w)
    {
        var points = SemiSupervisedAnalysis.Points(context.RunsOf(SemiSupervisedAnalysis.Spec));
        w.Heading(2, Title);
        w.Paragraph("A few training images keep their labels (class-balanced), the label noise corrupts those only, and the rest of the training set is unlabelled. "
            + "Supervised trains on the labelled part alone; pseudo-label adds Lee's (2013) loss on the network's own argmax of the unlabelled images; FixMatch (Sohn et al. 2020) "
            + "trains a strongly augmented view of each unlabelled image on the weak view's class where that is confident (τ). Memorized: a corrupted labelled example the final "
            + "model predicts as its wrong label. Departures: FixMatch's strong view is Cutout and Gaussian noise (Shatter has no RandAugment or CTAugment); Lee's weight ramp is placed "
            + "at a tenth and three fifths of the run's epochs (his T₁ = 100, T₂ = 600 in ratio); the runs are short and the network an MLP (docs/beyond-supervised.md).");
        var methods = points.Select(p => p.Method).Distinct().ToList();
        var memorized = new Chart("Corrupted labelled examples memorized against label noise", "P (probability a labelled example's label is redrawn)", "share predicted as their wrong label");
        var test = new Chart("Test accuracy against label noise", "P (probability a labelled example's label is redrawn)", "test accuracy");
        for (int m = 0; m < methods.Count; m++)
        {
            var line = points.Where(p => p.Method == methods[m]).OrderBy(p => p.Noise).ToList();
            var noisy = line.Where(p => p.Memorized.Count > 0).ToList();
            memorized.Line(methods[m], [.. noisy.Select(p => p.Noise)], [.. noisy.Select(p => p.Memorized.Mean)], [.. noisy.Select(p => p.Memorized.Min)], [.. noisy.Select(p => p.Memorized.Max)], markers: true, colorIndex: m);
            test.Line(methods[m], [.. line.Select(p => p.Noise)], [.. line.Select(p => p.Test.Mean)], [.. line.Select(p => p.Test.Min)], [.. line.Select(p => p.Test.Max)], markers: true, colorIndex: m);
        }
        memorized.LimitsY(0, 1.05);
        test.LimitsY(0, 1.05);
        w.Figure(memorized, "semisupervised-memorized", "Share of the corrupted labelled examples that the final model predicts as their wrong (trained) label, per method (mean over seeds, min–max band). Near 1: the wrong labels were memorized.");
        w.Figure(test, "semisupervised-test-accuracy", "Test accuracy (true test labels) at the end of training against the label noise of the labelled part, per method.");
        var table = new CsvTable("method", "label_noise", "runs", "labelled_fit", "clean_labelled_fit", "corrupted_memorized", "corrupted_true_label", "test_accuracy",
            "pseudo_label_accuracy", "mask_rate", "confident_rate", "confident_accuracy", "unlabelled_accuracy");
        static object? V(Spread s) => s.Count > 0 ? s.Mean : null;
        foreach (var p in points)
            table.Add(p.Method, p.Noise, p.Runs, V(p.LabelledFit), V(p.CleanFit), V(p.Memorized), V(p.TrueLabel), V(p.Test), V(p.PseudoLabelAccuracy), V(p.MaskRate),
                V(p.ConfidentRate), V(p.ConfidentAccuracy), V(p.UnlabelledAccuracy));
        w.Table(table, "semisupervised", "Per method and label noise (means over seeds): fit of the noisy labelled part and of its clean examples, corrupted labelled examples predicted as their wrong and as their true label, test accuracy, the accuracy and mask rate of the pseudo-labels the method trains on, the share of unlabelled images above τ and its accuracy, and the accuracy on all unlabelled images.");
        return SemiSupervisedAnalysis.Findings(points);
    }
}
