using Shatter.Reporting.Analysis;

namespace Shatter.Reporting.Sections;

/// <summary>
/// The report section of the unsupervised spec (experiments/unsupervised.yaml, issue 21): per model, the attractor measures
/// and the train and test reconstruction MSE against the training-set size, one colour per input randomization, as
/// figures; unsupervised.csv; and the findings beside Radhakrishnan, Belkin and Uhler (PNAS 2020) and Zhang, Bengio,
/// Hardt, Mozer and Singer (ICLR 2020) (<see cref="UnsupervisedAnalysis"/>, pure functions). The spec's generic section
/// draws its learning curves.
/// </summary>
public sealed class UnsupervisedSection : IReportSection
{
    public const string SectionTitle = "Beyond supervised: do autoencoders memorize?";

    public string? Experiment => "unsupervised";
    public string Title => SectionTitle;

    public bool Applies(ReportContext context) => context.RunsOf("unsupervised").Count > 0;

    public IReadOnlyList<string> Write(ReportContext context, ReportWriter w)
    {
        var runs = context.RunsOf("unsupervised").Where(r => r.Done).Select(r => (r.Config, r.Summary!)).ToList();
        var points = UnsupervisedAnalysis.Points(runs);
        w.Heading(2, Title);
        w.Paragraph("Autoencoders trained on reconstruction (mean squared error over pixels of whitened images) until the training MSE reaches the reconstruction target, on true images and the paper's input randomizations, for growing training sets. At the end of each run: which training images are fixed points of the map (‖f(x) − x‖ ≤ 5% of ‖x‖) and attractors (also a Jacobian spectral radius below 1), which are recovered by iterating f from a copy with 10% noise, and how many of 100 random starts land on a training image after 100 iterations (Radhakrishnan, Belkin and Uhler, PNAS 2020); with one training image, whether f is closer to the identity or to the constant map on new images (Zhang, Bengio, Hardt, Mozer and Singer, ICLR 2020). docs/unsupervised.md and docs/beyond-supervised.md give the task, the measures and their departures.");
        foreach (var model in points.Select(p => p.Model).Distinct())
        {
            var attractors = new Chart($"Attractors against the training-set size ({model})", "training images (log10)", "share");
            var mse = new Chart($"Reconstruction MSE against the training-set size ({model})", "training images (log10)", "MSE (whitened pixels)");
            int color = 0;
            foreach (var g in points.Where(p => p.Model == model).GroupBy(p => p.Randomization))
            {
                var line = g.OrderBy(p => p.TrainSize).ToList();
                double[] xs = [.. line.Select(p => Math.Log10(p.TrainSize))];
                attractors.Line($"{g.Key}, attractors", xs, [.. line.Select(p => p.AttractorShare.Mean)], markers: true, colorIndex: color);
                attractors.Line($"{g.Key}, random starts landed", xs, [.. line.Select(p => p.LandedShare.Mean)], dashed: true, markers: true, colorIndex: color);
                mse.Line($"{g.Key}, train", xs, [.. line.Select(p => p.TrainMse.Mean)], markers: true, colorIndex: color);
                mse.Line($"{g.Key}, test", xs, [.. line.Select(p => p.TestMse.Mean)], dashed: true, markers: true, colorIndex: color);
                color++;
            }
            w.Figure(attractors, $"unsupervised-attractors-{model}", "Share of the measured training images that are attractors (solid) and of random starts that land on a training image (dashed), at the end of each run, against the number of training images; one colour per randomization (means over seeds).");
            w.Figure(mse, $"unsupervised-mse-{model}", "Training (solid) and test (dashed) reconstruction MSE at the end of each run against the number of training images; one colour per randomization.");
        }
        var table = new CsvTable("model", "randomization", "train_size", "runs", "fitted", "epochs_to_fit", "train_mse", "test_mse", "fixed_point_share",
            "attractor_share", "recovered_share", "landed_share", "identity_with_input", "identity_with_training");
        static object? Value(Spread s) => s.Count > 0 ? s.Mean : null;
        foreach (var p in points)
            table.Add(p.Model, p.Randomization, p.TrainSize, p.Runs, p.Fitted, Value(p.EpochsToFit), Value(p.TrainMse), Value(p.TestMse), Value(p.FixedPointShare),
                Value(p.AttractorShare), Value(p.RecoveredShare), Value(p.LandedShare), Value(p.IdentityWithInput), Value(p.IdentityWithTraining));
        w.Table(table, "unsupervised", "Every point: model, randomization and training-set size; runs that fitted and their epochs to fit; final reconstruction MSE; the attractor measures; and for one training image the identity test's correlations (means over seeds).");
        return UnsupervisedAnalysis.Findings(points);
    }
}
