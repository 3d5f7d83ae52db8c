using System.Text.Json;
using Shatter.Corruptions;
using Shatter.Reporting;
using Shatter.Reporting.Analysis;
using Shatter.Tests.Data;
using Shatter.Training;

namespace Shatter.Tests.Reporting.Sections;

/// <summary>
/// The unsupervised section (issue 21) on hand-made runs whose summaries carry the attractor probe's fields: the points
/// average seeds, and every number in the findings is worked out by hand in the comments below, not by the analysis.
/// </summary>
public sealed class UnsupervisedSectionTests
{
    static ReportRun Run(string model, InputMode inputs, int size, int? epochsToFit, double trainMse, double testMse,
        double fixedPoints, double attractors, double recovered, double landed, (double Input, double Training)? identity = null, long seed = 1)
    {
        var fields = new Dictionary<string, JsonElement>
        {
            ["attractor_images"] = JsonSerializer.SerializeToElement(size), ["fixed_point_share"] = JsonSerializer.SerializeToElement(fixedPoints),
            ["attractor_share"] = JsonSerializer.SerializeToElement(attractors), ["recovered_share"] = JsonSerializer.SerializeToElement(recovered),
            ["landed_share"] = JsonSerializer.SerializeToElement(landed),
        };
        if (identity is { } id)
        {
            fields["identity_with_input"] = JsonSerializer.SerializeToElement(id.Input);
            fields["identity_with_training"] = JsonSerializer.SerializeToElement(id.Training);
        }
        return ReportRun.Of("unsupervised", new Dictionary<string, string>(),
            new TrainConfig { Model = model, Inputs = inputs, TrainSize = size, TestSize = 100, UntilFit = true, Seed = seed },
            new TrainSummary
            {
                Task = "reconstruction", TrainSize = size, TestSize = 100, FinalTrainLoss = trainMse, FinalTestLoss = testMse,
                FinalTrainAccuracy = 1 - trainMse, FinalTestAccuracy = 1 - testMse, StepsToFit = epochsToFit, EpochsToFit = epochsToFit,
                Epochs = epochsToFit ?? 1000, Steps = epochsToFit ?? 1000, StopReason = epochsToFit is null ? "epochs" : "fit", Fields = fields,
            });
    }

    const string Mlp = "ae-mlp-2x256", Conv = "ae-conv-2x16";

    static readonly ReportRun[] Runs =
    [
        Run(Mlp, InputMode.True, 1, 40, 0.0005, 1.1, 1, 1, 1, 1, (0.4, 0.99)),
        Run(Mlp, InputMode.Gaussian, 1, 30, 0.0008, 1.5, 1, 1, 1, 1, (0.02, 0.91)),
        Run(Mlp, InputMode.True, 10, 60, 0.0009, 0.6, 0.9, 0.2, 0.1, 0),
        Run(Mlp, InputMode.True, 10, null, 0.0021, 0.62, 0.5, 0, 0.1, 0.1, seed: 2),
        Run(Mlp, InputMode.Gaussian, 10, 50, 0.0009, 1.0, 1, 0.6, 0.3, 0.25),
        Run(Conv, InputMode.True, 1, 100, 0.0009, 0.05, 0, 0, 0, 0, (0.98, 0.45)),
    ];

    static IReadOnlyList<UnsupervisedPoint> Points => UnsupervisedAnalysis.Points([.. Runs.Select(r => (r.Config, r.Summary!))]);

    [Fact]
    public void Points_group_model_randomization_and_size_and_average_the_seeds_and_the_probe_fields()
    {
        var points = Points;
        Assert.Equal(5, points.Count);
        Assert.Equal([(Conv, "true images", 1), (Mlp, "true images", 1), (Mlp, "true images", 10), (Mlp, "gaussian", 1), (Mlp, "gaussian", 10)],
            points.Select(p => (p.Model, p.Randomization, p.TrainSize)));
        var two = points[2];                                          // mlp, true images, 10 images: seeds 1 (fitted) and 2 (not)
        Assert.Equal((2, 1), (two.Runs, two.Fitted));
        Assert.Equal((60.0, 1), (two.EpochsToFit.Mean, two.EpochsToFit.Count)); // only the fitted seed has a time to fit
        Assert.Equal(0.0015, two.TrainMse.Mean, 12);                  // (0.0009 + 0.0021) / 2
        Assert.Equal(0.1, two.AttractorShare.Mean, 12);               // (0.2 + 0) / 2
        Assert.Equal(0.7, two.FixedPointShare.Mean, 12);              // (0.9 + 0.5) / 2
        Assert.Equal(0, two.IdentityWithInput.Count);                 // no identity test beyond one image
        Assert.Equal(0.98, points[0].IdentityWithInput.Mean, 12);
    }

    [Fact]
    public void Findings_set_the_fit_the_attractors_the_random_starts_the_gap_and_the_identity_test_beside_the_anchors()
    {
        var findings = UnsupervisedAnalysis.Findings(Points);
        Assert.Equal(7, findings.Count);
        // true images: 3 of 4 runs fitted, in 40, 60 and 100 epochs (mean 66.7); gaussian 2 of 2 in 30 and 50 (mean 40)
        Assert.Equal("~ Runs that reached the reconstruction target: true images 3 of 4 (mean 67 epochs to fit), gaussian 2 of 2 (mean 40 epochs to fit). As with labels in Zhang et al. 2017, randomized inputs are not all memorized within the epoch cap.", findings[0]);
        // the largest set where true images fitted: 10 images, 60 epochs (the fitted seed); gaussian 50 → 0.83×, faster
        Assert.StartsWith("✗ Epochs to fit relative to true images' (60 epochs) with 10 training images: gaussian 0.83×. For labels, Zhang et al. 2017 find randomized data fitted more slowly", findings[1]);
        // fitted settings of ≥ 2 images: mlp true/10 (attractors 0.1, fixed 0.7, recovered 0.1) and gaussian/10 (0.6, 1, 0.3)
        Assert.StartsWith("~ Training images that are attractors (fixed points whose Jacobian has spectral radius below 1), over the 2 fitted settings of 2 or more images: 35% on average (85% are fixed points); 20% are recovered", findings[2]);
        Assert.Contains("this holds for a minority of the images only", findings[2]);
        // random starts: one image (mlp true 1, mlp gaussian 1, conv 0) → 67%; ten images (0.05, 0.25) → 15%; overall 0.46
        Assert.StartsWith("~ Random starts (pixels drawn from the training pixels' mean and spread) that land on a training image after 100 iterations of the map, fitted settings: 67% with 1 training image, 15% with 10 training images.", findings[3]);
        // at 10 images: true 0.0015 against (0.6 + 0.62) / 2 = 0.61; gaussian 0.0009 against 1; both at least 10×
        Assert.Equal("Training against test reconstruction MSE with 10 training images (whitened pixels: an MSE of 1 is no better than a constant): true images 0.0015 against 0.61, gaussian 0.0009 against 1; true images, gaussian: test MSE 10× the training MSE or more, the map reproduces its training images and not new ones — memorization, as the randomization tests find for labels.", findings[4]);
        Assert.Equal("✓ ae-conv-2x16 trained on one image: closer to the identity in 1 of 1 randomizations, to the constant map in 0 (mean correlation of f(x_new) with x_new 0.98, with the training image 0.45). Zhang, Bengio, Hardt, Mozer and Singer find that a shallow convolutional network learns the identity; so does this one.", findings[5]);
        // mlp: (0.4 + 0.02) / 2 = 0.21 with the input, (0.99 + 0.91) / 2 = 0.95 with the training image: constant twice
        Assert.StartsWith("✓ ae-mlp-2x256 trained on one image: closer to the identity in 0 of 2 randomizations, to the constant map in 2 (mean correlation of f(x_new) with x_new 0.21, with the training image 0.95). Zhang, Bengio, Hardt, Mozer and Singer find that a fully connected network learns the constant; so does this one.", findings[6]);
    }

    [Fact]
    public void An_unfitted_one_image_run_gets_no_identity_verdict_and_a_run_without_probe_fields_reads_nan()
    {
        var unfitted = Run(Mlp, InputMode.True, 1, null, 0.3, 1, 0, 0, 0, 0, (0.1, 0.2));
        var findings = UnsupervisedAnalysis.Findings(UnsupervisedAnalysis.Points([(unfitted.Config, unfitted.Summary!)]));
        Assert.DoesNotContain(findings, f => f.Contains("trained on one image", StringComparison.Ordinal));
        Assert.StartsWith("✗ Runs that reached the reconstruction target: true images 0 of 1.", findings[0]);
        Assert.True(double.IsNaN(UnsupervisedAnalysis.Field(new TrainSummary(), "attractor_share")));
    }

    [Fact]
    public void The_unsupervised_spec_gets_its_section_with_figures_per_model_and_unsupervised_csv()
    {
        using var folder = new TempFolder();
        var context = new ReportContext(folder["shatter.db"], "test", Runs, _ => null);
        var outcome = ReportBuilder.Build(context, folder["report"], experiment: "unsupervised");
        Assert.Contains("<h2>Beyond supervised: do autoencoders memorize?</h2>", File.ReadAllText(outcome.HtmlPath));
        foreach (var figure in new[] { $"unsupervised-attractors-{Mlp}", $"unsupervised-mse-{Conv}" })
            Assert.True(File.Exists(folder[$"report/figures/{figure}.png"]), figure);
        var csv = File.ReadAllLines(folder["report/tables/unsupervised.csv"]);
        Assert.Equal("model,randomization,train_size,runs,fitted,epochs_to_fit,train_mse,test_mse,fixed_point_share,attractor_share,recovered_share,landed_share,identity_with_input,identity_with_training", csv[0]);
        Assert.Equal(6, csv.Length);
        var section = Assert.Single(outcome.Sections, s => s.Experiment == "unsupervised" && s.Title == Shatter.Reporting.Sections.UnsupervisedSection.SectionTitle);
        Assert.Equal(7, section.Findings.Count);
    }
}
