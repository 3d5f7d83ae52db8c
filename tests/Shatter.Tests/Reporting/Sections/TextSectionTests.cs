using Shatter.Corruptions;
using Shatter.Reporting;
using Shatter.Tests.Data;
using Shatter.Tests.Reporting.Analysis;

namespace Shatter.Tests.Reporting.Sections;

/// <summary>The text spec's report section: accuracy against label noise, epochs to fit, text.csv and its findings.</summary>
public sealed class TextSectionTests
{
    [Fact]
    public void The_text_spec_gets_its_section_with_figures_text_csv_and_findings()
    {
        const string t = "text-transformer-1x64";
        ReportRun[] runs =
        [
            TextAnalysisTests.Run(t, 0, InputMode.True, 0.40, 10),
            TextAnalysisTests.Run(t, 0.5, InputMode.True, 0.18, 20),
            TextAnalysisTests.Run(t, 1, InputMode.True, 0.03, 30),
            TextAnalysisTests.Run(t, 0, InputMode.RandomTokens, 0.04, 20),
        ];
        using var folder = new TempFolder();
        var context = new ReportContext(folder["shatter.db"], "test", runs, _ => null);
        var outcome = ReportBuilder.Build(context, folder["report"], experiment: "text");
        Assert.Contains("<h2>Beyond the paper: randomization tests on text</h2>", File.ReadAllText(outcome.HtmlPath));
        foreach (var figure in new[] { $"text-noise-{t}", $"text-epochs-{t}" })
            Assert.True(File.Exists(folder[$"report/figures/{figure}.png"]), figure);
        var csv = File.ReadAllLines(folder["report/tables/text.csv"]);
        Assert.Equal("model,randomization,label_noise,runs,fitted,epochs_to_fit,slowdown,train_accuracy,test_accuracy,chance_accuracy", csv[0]);
        Assert.Equal(5, csv.Length);
        var section = Assert.Single(outcome.Sections, s => s.Experiment == "text" && s.Title == "Beyond the paper: randomization tests on text");
        Assert.Equal(4, section.Findings.Count); // random labels, the noise curve, random tokens, the setup
    }
}
