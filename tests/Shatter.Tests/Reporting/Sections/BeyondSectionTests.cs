using Shatter.Reporting;
using Shatter.Reporting.Sections;
using Shatter.Training;
using static Shatter.Tests.Reporting.HandMadeRuns;

namespace Shatter.Tests.Reporting.Sections;

/// <summary>The beyond-the-paper spec gets its own section: figures, beyond.csv and one finding per model, printed with the spec's.</summary>
public sealed class BeyondSectionTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "shatter-beyondsec-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Scratch.Delete(dir);
    }

    [Fact]
    public void Each_model_says_whether_it_fitted_random_labels_its_slowdown_and_test_accuracy()
    {
        ReportRun Beyond(string model, string randomization, double noise, int epochs, double test) =>
            Run("beyond", new TrainConfig { Model = model, LabelNoise = noise, UntilFit = true, Epochs = 200 }, 1, test, stepsToFit: epochs * 4L, epochs: epochs,
                point: [("model", model), ("randomization", randomization)]);
        var runs = new[]
        {
            Beyond("mlp-1x512", "true labels", 0, 20, 0.8), Beyond("mlp-1x512", "random labels", 1, 40, 0.1),
            Beyond("vit-4x64-p7", "true labels", 0, 57, 0.715), Beyond("vit-4x64-p7", "random labels", 1, 59, 0.08),
        };
        var context = new ReportContext(Path.Combine(dir, "shatter.db"), "quick", runs, _ => null, resultsFolder: dir);
        var outcome = ReportBuilder.Build(context, Path.Combine(dir, "report"), "beyond");

        var html = File.ReadAllText(outcome.HtmlPath);
        Assert.Contains("<h2>Beyond the paper: other architectures on random labels</h2>", html);
        Assert.DoesNotContain("Other results in this database", html);
        foreach (var figure in new[] { "beyond-epochs-to-fit", "beyond-test-accuracy" })
            Assert.True(File.Exists(Path.Combine(dir, "report", "figures", figure + ".svg")), figure);
        var rows = Csv.Read(Path.Combine(dir, "report", "tables", "beyond.csv"));
        var vit = rows.Single(r => r["model"] == "vit-4x64-p7");
        Assert.Equal(("57", "59", "true", "0.08"), (vit["true_epochs_to_fit"], vit["random_epochs_to_fit"], vit["random_fitted"], vit["random_test_accuracy"]));

        // what 'shatter reproduce beyond' prints: the spec's findings, one per model first
        var findings = outcome.FindingsOf("beyond");
        Assert.StartsWith("✓ mlp-1x512: fitted random labels in 40 epochs against 20 epochs for true labels, 2.00× the steps", findings[0], StringComparison.Ordinal);
        Assert.StartsWith("✓ vit-4x64-p7: fitted random labels in 59 epochs against 57 epochs for true labels, 1.04× the steps; test accuracy 8% against 71.5%", findings[1], StringComparison.Ordinal);
    }
}
