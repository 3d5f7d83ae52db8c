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

    static List<Dictionary<string, string>> Csv(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        return [.. lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second))];
    }
}
