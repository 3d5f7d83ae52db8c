using Shatter.Results;
using Shatter.Reporting;
using Shatter.Reporting.Analysis;
using Shatter.Training;

namespace Shatter.Tests.Reporting.Sections;

/// <summary>The "Traditional complexity measures" section in a report built from hand-made measured runs.</summary>
public sealed class MeasuresSectionTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "shatter-measuressec-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Scratch.Delete(dir);
    }

    /// <summary>figure1-like runs at label noise 0, 0.5 and 1 (two seeds each), every shown measure growing with the noise.</summary>
    ReportOutcome Build()
    {
        var runs = new List<ReportRun>();
        var measures = new Dictionary<string, MeasureFile>();
        foreach (var noise in new[] { 0.0, 0.5, 1.0 })
            foreach (var seed in new[] { 1L, 2L })
            {
                var run = HandMadeRuns.Run("figure1", new TrainConfig { LabelNoise = noise, Seed = seed, Epochs = 20, UntilFit = true }, 1, 0.8 - 0.7 * noise + 0.01 * seed, stepsToFit: 100,
                    point: [("randomization", $"label noise {noise}"), ("seed", $"{seed}")]);
                runs.Add(run);
                var values = new SortedDictionary<string, double?>(MeasuresAnalysis.Shown.ToDictionary(m => m.Name, m => (double?)(1 + noise + 0.1 * seed)));
                values["margin_p10"] = 0.5;
                measures[run.Record.Hash] = new MeasureFile { Values = values };
            }
        var context = new ReportContext(Path.Combine(dir, "shatter.db"), "test", runs, _ => null, measures: () => measures, resultsFolder: dir);
        return ReportBuilder.Build(context, Path.Combine(dir, "report"));
    }

    [Fact]
    public void The_findings_of_the_section_appear_once()
    {
        var html = File.ReadAllText(Build().HtmlPath);
        int start = html.IndexOf("<h2>Traditional complexity measures</h2>", StringComparison.Ordinal);
        int end = html.IndexOf("<h2>", start + 1, StringComparison.Ordinal);
        var section = html[start..(end < 0 ? html.Length : end)];
        Assert.Equal(1, section.Split("<h3>Findings</h3>").Length - 1);
        Assert.Contains("Kendall&#39;s τ with the generalization gap", section);
    }

    [Fact]
    public void Its_tables_key_measures_by_name_and_inputs_as_the_cli_spells_them()
    {
        Build();
        var names = MeasuresAnalysis.Shown.Select(m => m.Name).ToHashSet();
        foreach (var table in new[] { "measures-kendall-tau", "measures-vs-noise" })
        {
            var rows = Csv.Read(Path.Combine(dir, "report", "tables", table + ".csv"));
            Assert.NotEmpty(rows);
            Assert.All(rows, r => Assert.Contains(r["measure"], names));
        }
        var runs = Csv.Read(Path.Combine(dir, "report", "tables", "measures-runs.csv"));
        Assert.All(runs, r => Assert.Equal("true", r["inputs"]));
    }
}
