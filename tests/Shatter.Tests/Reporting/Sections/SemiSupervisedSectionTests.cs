using Shatter.Reporting;
using Shatter.Training;

namespace Shatter.Tests.Reporting.Sections;

/// <summary>The semi-supervised spec gets its own section: two figures, semisupervised.csv and its findings.</summary>
public sealed class SemiSupervisedSectionTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "shatter-semisec-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Scratch.Delete(dir);
    }

    static ReportRun Run(string method, double noise, double memorized, double test, int order)
    {
        var config = new TrainConfig { Model = "mlp-1x512", Labelled = 250, TrainSize = 1000, SemiMethod = method, LabelNoise = noise, Epochs = 30 };
        var measures = new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["labelled_fit"] = 0.9, ["clean_labelled_fit"] = 1, ["corrupted_memorized"] = noise == 0 ? double.NaN : memorized, ["confident_rate"] = 0.3,
            ["confident_accuracy"] = 0.9, ["unlabelled_accuracy"] = 0.7, ["mask_rate"] = method == "fixmatch" ? 0.3 : 1, ["pseudo_label_accuracy"] = 0.8,
        };
        var summary = new TrainSummary { FinalTrainAccuracy = 0.9, FinalTestAccuracy = test, Epochs = 30, Measures = measures };
        return ReportRun.Of("semisupervised", new Dictionary<string, string> { ["semi_method"] = method, ["randomization"] = $"noise {noise}" }, config, summary, order: order);
    }

    [Fact]
    public void The_section_draws_memorization_and_test_accuracy_against_noise_and_lists_each_point()
    {
        var runs = new[] { Run("supervised", 0, 0, 0.7, 1), Run("supervised", 1, 0.98, 0.08, 2), Run("fixmatch", 0, 0, 0.75, 3), Run("fixmatch", 1, 0.2, 0.1, 4) };
        var context = new ReportContext(Path.Combine(dir, "shatter.db"), "quick", runs, _ => null, resultsFolder: dir);
        var outcome = ReportBuilder.Build(context, Path.Combine(dir, "report"), "semisupervised");

        var html = File.ReadAllText(outcome.HtmlPath);
        Assert.Contains("<h2>Beyond the paper: does unlabelled data stop the memorization of wrong labels?</h2>", html);
        foreach (var figure in new[] { "semisupervised-memorized", "semisupervised-test-accuracy" })
            Assert.True(File.Exists(Path.Combine(dir, "report", "figures", figure + ".svg")), figure);
        var rows = Csv.Read(Path.Combine(dir, "report", "tables", "semisupervised.csv"));
        Assert.Equal(["supervised", "supervised", "fixmatch", "fixmatch"], rows.Select(r => r["method"]));
        var fixmatch = rows.Single(r => r["method"] == "fixmatch" && r["label_noise"] == "1");
        Assert.Equal(("0.2", "0.1", "0.3"), (fixmatch["corrupted_memorized"], fixmatch["test_accuracy"], fixmatch["mask_rate"]));
        Assert.Contains(outcome.Findings, f => f.StartsWith("✗ fixmatch: the unlabelled data reduces the memorization of wrong labels", StringComparison.Ordinal));
        Assert.Contains(outcome.Findings, f => f.StartsWith("✓ fixmatch with true labels: test accuracy 75%, above supervised's 70%", StringComparison.Ordinal));
        // the departures of semi-supervised runs are in the header
        Assert.Contains("strong view is Cutout and Gaussian noise", html);
    }
}
