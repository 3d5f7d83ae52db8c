using System.Text.Json;
using Shatter.Measures.Attractors;
using Shatter.Reporting.Analysis;
using Shatter.Results;
using Shatter.Tests.Data;
using Shatter.Tests.Training;
using Shatter.Training;

namespace Shatter.Tests.Measures.Attractors;

/// <summary>
/// The attractor probe on real runs: an autoencoder trained on one Fashion-MNIST image gets its attractor measures and its
/// identity test written into summary.json (and so into what the store reads of the run); a classifier gets none; the
/// probe changes nothing the run learns. Serial: runs are compared bit for bit.
/// </summary>
[Collection(SerialTorchRandom.Name)]
public sealed class AttractorProbeTests
{
    static readonly TrainConfig OneImage = new()
    {
        Model = "ae-mlp-1x128", TrainSize = 1, TestSize = 20, BatchSize = 1, LearningRate = 1, UntilFit = true, Epochs = 500, Threads = 1,
    };

    static string[] WithoutSeconds(string csv) => File.ReadAllLines(csv).Select(l => l[..l.LastIndexOf(',')]).ToArray();

    [Fact]
    public void A_fitted_one_image_autoencoder_has_its_image_as_a_fixed_point_and_its_identity_test_in_the_summary_and_the_store()
    {
        using var folder = new TempFolder();
        var summary = Trainer.Run(OneImage, folder["probed"], new TrainerOptions { Callbacks = [new AttractorProbe()] });
        Assert.True(summary.Fitted, $"one image not fitted in {summary.Epochs} epochs: MSE {summary.FinalTrainLoss}");
        // the fit's MSE ≤ 1e-3 on a whitened image (RMS 1) is a relative residual ≤ √1e-3 ≈ 0.032, inside the 5% tolerance
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder["probed"], "summary.json")));
        var root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("attractor_images").GetInt32());
        Assert.Equal(1.0, root.GetProperty("fixed_point_share").GetDouble());
        Assert.Equal(100, root.GetProperty("random_starts").GetInt32());
        Assert.InRange(root.GetProperty("landed_share").GetDouble(), 0, 1);
        double withInput = root.GetProperty("identity_with_input").GetDouble(), withTraining = root.GetProperty("identity_with_training").GetDouble();
        Assert.Equal(withInput >= withTraining ? "identity" : "constant", root.GetProperty("identity_closer").GetString());
        Assert.All(AttractorProbe.FieldNames, key => Assert.True(root.TryGetProperty(key, out _), $"summary.json lacks {key}"));

        // the store keeps summary.json whole; the report reads the fields back from it
        var stored = RunArtifacts.Read(folder["probed"], 1);
        var read = JsonSerializer.Deserialize<TrainSummary>(stored.SummaryJson, Json.Options)!;
        Assert.Equal(1.0, UnsupervisedAnalysis.Field(read, "fixed_point_share"));
        Assert.Equal(withInput, UnsupervisedAnalysis.Field(read, "identity_with_input"));
        Assert.Equal(summary.FinalTrainLoss, read.FinalTrainLoss);

        // without the probe the run learns the same, and its summary has none of the fields
        var plain = Trainer.Run(OneImage, folder["plain"]);
        Assert.Equal(WithoutSeconds(Path.Combine(folder["probed"], "epochs.csv")), WithoutSeconds(Path.Combine(folder["plain"], "epochs.csv")));
        Assert.Null(plain.Fields);
        Assert.DoesNotContain("attractor_share", File.ReadAllText(Path.Combine(folder["plain"], "summary.json")));
    }

    [Fact]
    public void A_classifier_run_gets_no_attractor_fields()
    {
        using var folder = new TempFolder();
        var config = new TrainConfig { Model = "mlp-1x32", TrainSize = 20, TestSize = 20, Epochs = 1, Threads = 1 };
        var summary = Trainer.Run(config, folder["c"], new TrainerOptions { Callbacks = [new AttractorProbe()] });
        Assert.Null(summary.Fields);
        Assert.DoesNotContain("attractor", File.ReadAllText(Path.Combine(folder["c"], "summary.json")));
    }
}
