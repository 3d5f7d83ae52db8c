using Shatter.Reporting;
using System.Text.RegularExpressions;

namespace Shatter.Tests.Reporting;

public sealed class ReportBuilderTests(ReportFixture fixture) : IClassFixture<ReportFixture>
{
    [Fact]
    public void The_report_writes_every_figure_as_png_and_svg_and_every_table_as_csv()
    {
        string[] names = ["figure1a-mlp-1x512", "figure1a-mlp-3x512", "figure1b", "figure1c", "figure2b", "per-example-fit"];
        foreach (var name in names)
        {
            var png = File.ReadAllBytes(Path.Combine(fixture.Out, "figures", name + ".png"));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            Assert.Contains("<svg", File.ReadAllText(Path.Combine(fixture.Out, "figures", name + ".svg")));
        }
        foreach (var table in new[] { "figure1", "figure1b", "figure1c", "table1", "figure2b", "figure2b-best", "per-example-fit", "runs" })
            Assert.True(File.Exists(Path.Combine(fixture.Out, "tables", table + ".csv")), table);
    }

    [Fact]
    public void The_page_is_self_contained_with_every_figure_embedded()
    {
        var html = File.ReadAllText(fixture.Outcome.HtmlPath);
        Assert.Equal(8, Regex.Matches(html, "<img [^>]*src=\"data:image/png;base64,").Count); // six paper figures, two theory plots
        Assert.DoesNotMatch("<img [^>]*src=\"(?!data:)", html);
        Assert.Contains("Departures from the paper", html);
        Assert.Contains("dataset fashion-mnist instead of CIFAR-10.", html);
    }

    [Fact]
    public void Figure1b_is_relative_to_true_labels_and_figure1c_is_test_error_with_the_seeds_spread()
    {
        var rows = Csv(Path.Combine(fixture.Out, "tables", "figure1b.csv"));
        var trueLabels = rows.Single(r => r["model"] == "mlp-1x512" && r["label_noise"] == "0");
        Assert.Equal("1", trueLabels["relative_time_to_fit"]);
        // the double fits p = 1 in 15 epochs against 5 for true labels
        Assert.Equal("3", rows.Single(r => r["model"] == "mlp-1x512" && r["label_noise"] == "1")["relative_time_to_fit"]);
        var error = Csv(Path.Combine(fixture.Out, "tables", "figure1c.csv")).Single(r => r["model"] == "mlp-3x512" && r["label_noise"] == "0");
        Assert.Equal("2", error["seeds"]);
        Assert.NotEqual(error["min"], error["max"]);  // the double's test accuracy depends on the seed
        Assert.Equal("0.9", error["chance_error"]);   // 1 − 1/classes for Fashion-MNIST's 10 classes
        Assert.Contains(fixture.Outcome.Findings, f => f.StartsWith("✓ mlp-1x512: random labels took 3.0× the steps of true labels", StringComparison.Ordinal));
        Assert.Contains(fixture.Outcome.Findings, f => f.StartsWith("✓ every mode reached 100% training accuracy", StringComparison.Ordinal));
    }

    [Fact]
    public void Table1_sits_beside_the_papers_numbers()
    {
        var rows = Csv(Path.Combine(fixture.Out, "tables", "table1.csv"));
        Assert.Equal(3, rows.Count);
        var wd = rows.Single(r => r["setting"] == "weight decay");
        Assert.Equal(("99.8", "50.39"), (wd["paper_train_accuracy"], wd["paper_test_accuracy"]));
        Assert.Equal("10.61", rows.Single(r => r["setting"] == "random labels")["paper_test_accuracy"]);
    }

    [Fact]
    public void Per_example_fit_separates_clean_from_corrupted_examples()
    {
        var rows = Csv(Path.Combine(fixture.Out, "tables", "per-example-fit.csv")).Where(r => r["model"] == "mlp-1x512").ToList();
        var clean = rows.Single(r => r["group"] == "clean");
        var corrupted = rows.Single(r => r["group"] == "corrupted");
        Assert.True(int.Parse(corrupted["median_first_fit_epoch"]) > int.Parse(clean["median_first_fit_epoch"]));
        Assert.Equal("20", corrupted["examples"]);
    }

    [Fact]
    public void Theory_results_saved_beside_the_database_join_the_report_as_their_own_section()
    {
        var html = File.ReadAllText(fixture.Outcome.HtmlPath);
        Assert.Contains("Kernel interpolation: error and norm against label noise", html);
        Assert.Contains("Theorem 1: a two-layer ReLU network with 2n + d weights fits any labels", html);
        // the section comes after the paper's figures, inside the one page
        Assert.True(html.IndexOf("Kernel interpolation", StringComparison.Ordinal) > html.IndexOf("Figure 1", StringComparison.Ordinal));
    }

    [Fact]
    public void A_database_with_several_scales_needs_one_chosen()
    {
        using var store = Shatter.Results.SqliteStore.Open(Path.Combine(fixture.Dir, "two-scales.db"));
        var spec = Shatter.Experiments.SpecParser.Parse("name: a\nscales: { x: {epochs: 1}, y: {epochs: 2} }\n", "a.yaml");
        store.Register("a", "x", spec.Expand("x"));
        store.Register("a", "y", spec.Expand("y"));
        var e = Assert.Throws<ShatterException>(() => Shatter.Reporting.ReportBuilder.Build(store, Path.Combine(fixture.Dir, "r2")));
        Assert.Equal("the results database holds the scales x, y; choose one with --scale.", e.Message);
    }

    [Fact]
    public void Every_csv_spells_enum_values_as_the_cli_does()
    {
        // PascalCase names of Shatter's enums (True, Gaussian, PairFlip, ...) must not appear as cells: the CSVs say "true", "gaussian", "pair-flip"
        var pascal = typeof(Shatter.Training.TrainConfig).Assembly.GetTypes().Where(t => t.IsEnum && t.IsPublic)
            .SelectMany(Enum.GetNames).Where(n => n.Length > 1 && char.IsUpper(n[0])).ToHashSet();
        var tables = Directory.GetFiles(Path.Combine(fixture.Out, "tables"), "*.csv");
        Assert.NotEmpty(tables);
        foreach (var table in tables)
            foreach (var line in File.ReadAllLines(table).Skip(1))
                Assert.DoesNotContain(line.Split(','), cell => pascal.Contains(cell));
        Assert.Equal("gaussian", Shatter.Reporting.CsvTable.Format(Shatter.Corruptions.InputMode.Gaussian));
        Assert.Equal("pair-flip", Shatter.Reporting.CsvTable.Format(Shatter.Corruptions.LabelNoiseMode.PairFlip));
    }

    [Fact]
    public void The_other_results_heading_stands_only_over_other_experiments()
    {
        var dir = Path.Combine(fixture.Dir, "one-experiment");
        ReportRun Run(string spec, double noise) => HandMadeRuns.Run(spec, new Shatter.Training.TrainConfig { LabelNoise = noise, UntilFit = true, Epochs = 20 }, 1, 0.5,
            stepsToFit: 100, point: [("randomization", $"p {noise}")]);
        var alone = new ReportContext(Path.Combine(dir, "a.db"), "test", [Run("figure1", 0), Run("figure1", 1)], _ => null, resultsFolder: dir);
        var html = File.ReadAllText(ReportBuilder.Build(alone, Path.Combine(dir, "alone"), "figure1").HtmlPath);
        Assert.DoesNotContain("Other results in this database", html);
        Assert.Contains("<h2>Runs</h2>", html);   // the database-wide sections are still there, under the experiment

        var two = new ReportContext(Path.Combine(dir, "b.db"), "test", [Run("figure1", 0), Run("figure1", 1), Run("width", 0)], _ => null, resultsFolder: dir);
        html = File.ReadAllText(ReportBuilder.Build(two, Path.Combine(dir, "two"), "figure1").HtmlPath);
        Assert.Contains("<h2 id=\"other-results\">Other results in this database</h2>", html);
        Assert.True(html.IndexOf("other-results", StringComparison.Ordinal) < html.IndexOf("<h2>Experiment width</h2>", StringComparison.Ordinal));
    }

    [Fact]
    public void Saving_the_figures_prints_nothing_to_stderr()
    {
        // a spec named regression gets the regression section: test curves dashed with markers, beside figure 2b's dashed and
        // dotted lines; the real executable, since Skia writes its warnings ("Unsupported path effect in addPaint.") to the
        // process's own stderr
        var dir = Path.Combine(fixture.Dir, "stderr");
        var db = Path.Combine(dir, "shatter.db");
        using (var store = Shatter.Results.SqliteStore.Open(db))
        {
            var spec = Shatter.Experiments.SpecParser.Parse("""
                name: regression
                scales: { s: { train_size: 40, epochs: 8, until_fit: true } }
                grid:
                  randomization: [{ name: true, label_noise: 0 }, { name: half, label_noise: 0.5 }]
                """, "regression.yaml");
            new Shatter.Experiments.Sweep(store, new Shatter.Tests.Experiments.FakeExecutor(), new Shatter.Experiments.SweepOptions { ResultsDir = dir })
                .Run(spec, "s", null, CancellationToken.None);
        }
        var r = Shatter.Tests.Cli.PipedShatter.Run("report", "--db", db, "--out", Path.Combine(dir, "report"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("report: ", r.Output);
        Assert.True(File.Exists(Path.Combine(dir, "report", "figures", "regression-r2-mlp-1x512.svg")), r.Output);
        Assert.Equal("", r.Error);
    }

    static List<Dictionary<string, string>> Csv(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        return [.. lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second))];
    }
}
