using Shatter.Corruptions;
using Shatter.Reporting;
using Shatter.Reporting.Sections;
using Shatter.Training;

namespace Shatter.Tests.Reporting.Sections;

/// <summary>The structured-noise section as an IReportSection of the report: its figures, noise.csv and findings.</summary>
public sealed class NoiseSectionTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "shatter-noisesec-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Scratch.Delete(dir);
    }

    static ReportRun Run(LabelNoiseMode mode, double p, long? stepsToFit, double testAccuracy, long[][] transition, int order) =>
        ReportRun.Of("noise", new Dictionary<string, string> { ["noise"] = $"{mode} {p}" },
            new TrainConfig { LabelNoise = p, LabelNoiseMode = mode, TrainSize = 100 },
            new TrainSummary { StepsToFit = stepsToFit, Steps = stepsToFit ?? 500, FinalTestAccuracy = testAccuracy, FractionLabelsChanged = p, LabelTransition = transition, StopReason = "fit" },
            order: order);

    [Fact]
    public void The_noise_spec_gets_its_section_with_curves_per_model_a_transition_heat_map_per_mode_and_noise_csv()
    {
        long[][] identity = [[5, 0], [0, 5]], flipped = [[3, 2], [2, 3]];
        var runs = new[]
        {
            Run(LabelNoiseMode.Uniform, 0, 100, 0.9, identity, 0),
            Run(LabelNoiseMode.PairFlip, 0.4, 300, 0.6, flipped, 1),
        };
        var context = new ReportContext(Path.Combine(dir, "shatter.db"), "test", runs, _ => null);
        Assert.Contains(ReportBuilder.Sections(context), s => s is NoiseSection && s.Applies(context));

        var outcome = ReportBuilder.Build(context, Path.Combine(dir, "report"));
        var html = File.ReadAllText(outcome.HtmlPath);
        Assert.Contains("<h2>Beyond the paper: structured label noise</h2>", html);
        foreach (var figure in new[] { "noise-test-error-mlp-1x512", "noise-time-to-fit-mlp-1x512", "noise-transition-pair-flip" })
            Assert.True(File.Exists(Path.Combine(dir, "report", "figures", figure + ".png")) && File.Exists(Path.Combine(dir, "report", "figures", figure + ".svg")), figure);
        Assert.False(File.Exists(Path.Combine(dir, "report", "figures", "noise-transition-uniform.png"))); // P = 0 has no transition to show

        var csv = File.ReadAllLines(Path.Combine(dir, "report", "tables", "noise.csv"));
        Assert.Equal("model,mode,label_noise,runs,realized_flip_rate,test_error,test_error_min,test_error_max,relative_time_to_fit,all_fitted", csv[0]);
        Assert.Contains(csv, l => l.StartsWith("mlp-1x512,pair-flip,0.4,1,0.4,0.4", StringComparison.Ordinal));
        var section = Assert.Single(outcome.Sections, s => s.Title == "Beyond the paper: structured label noise");
        Assert.Equal("noise", section.Experiment);
        // by hand from the two runs: P = 0.4 flipped 40% of the labels (0.4), test error 1 − 0.6 = 40%, 300 / 100 = 3.0× the
        // true-label run's steps (same model and seed); no uniform run at P = 0.4 to compare with
        Assert.Equal(["mlp-1x512, pair-flip noise at P = 0.4: realized flip rate 40%, test error 40%, 3.0× the steps of true labels."], section.Findings);
    }
}
