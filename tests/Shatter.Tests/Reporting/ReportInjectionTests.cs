using System.Text.RegularExpressions;
using Shatter.Experiments;
using Shatter.Reporting;
using Shatter.Results;
using Shatter.Tests.Experiments;

namespace Shatter.Tests.Reporting;

/// <summary>
/// User text reaches the report (spec names, axis names and labels): it must stay text. A database holding specs
/// named like a script and like a path out of the report folder gives a report that runs no script in headless
/// Chromium and writes nothing outside --out.
/// </summary>
public sealed class ReportInjectionTests : IDisposable
{
    const string Script = "p<script>document.documentElement.setAttribute('data-pwned','yes')</script>";
    const string Traversal = "../../../../../tmp/x\" onmouseover=\"alert(3)";

    // a spec whose axis name and labels are markup too (axis names and labels come from the YAML as written)
    const string Yaml = """
        name: placeholder
        scales: { s: { train_size: 40, epochs: 4, until_fit: true } }
        grid:
          "w\" onmouseover=\"alert(4)":
            - { name: "<img src=x onerror=document.documentElement.setAttribute('data-pwned','axis')>", label_noise: 0 }
            - { name: "../../b", label_noise: 1 }
          seed: [1, 2]
        """;

    readonly string dir = Path.Combine(Path.GetTempPath(), "shatter-inject-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Scratch.Delete(dir);
    }

    [Fact]
    public void Spec_names_that_look_like_markup_or_paths_run_no_script_and_write_nothing_outside_the_report_folder()
    {
        Directory.CreateDirectory(dir);
        var db = Path.Combine(dir, "shatter.db");
        // deep enough that five ".." from out/figures still land inside the test's folder, where they can be seen
        var outDir = Path.Combine(dir, "a", "b", "c", "d", "report");
        using (var store = SqliteStore.Open(db))
        {
            var spec = SpecParser.Parse(Yaml, "evil.yaml");
            foreach (var name in new[] { Script, Traversal })
                new Sweep(store, new FakeExecutor(), new SweepOptions { ResultsDir = dir }).Run(spec with { Name = name }, "s", null, CancellationToken.None);
        }
        var before = Files();
        ReportOutcome outcome;
        using (var store = SqliteStore.OpenExisting(db))
            outcome = ReportBuilder.Build(store, outDir);

        var written = Files().Except(before).ToList();
        Assert.NotEmpty(written);
        Assert.All(written, f => Assert.StartsWith(outDir + Path.DirectorySeparatorChar, f, StringComparison.Ordinal));
        Assert.All(outcome.Figures.Concat(outcome.Tables), f => Assert.StartsWith(outDir + Path.DirectorySeparatorChar, Path.GetFullPath(f), StringComparison.Ordinal));

        var dom = Chromium.Run(outcome.HtmlPath, "--dump-dom");
        Assert.Matches("data-images=\"\\d+\"", dom);                       // the page's own script ran: scripts were on
        var tags = Tags(dom);
        Assert.DoesNotContain("data-pwned", tags.Single(t => t.Name == "html").Attributes);   // the spec's and the label's did not
        Assert.DoesNotContain(tags, t => t.Attributes.Any(a => a.StartsWith("on", StringComparison.Ordinal)));   // no element carries an event handler
        Assert.Contains("p&lt;script&gt;document", dom);                  // the names are shown, as text
        Assert.Contains("../../../../../tmp/x\" onmouseover=\"alert(3)", Text(dom));
    }

    [Theory]
    [InlineData("figure1a-mlp-1x512", "figure1a-mlp-1x512")]
    [InlineData("../../../../../tmp/x\" onmouseover=\"alert(3)-loss-0", "tmp-x-onmouseover-alert-3-loss-0")]
    [InlineData("/etc/passwd", "etc-passwd")]
    [InlineData("..", "unnamed")]
    [InlineData("width_vs_seed", "width_vs_seed")]
    public void A_name_becomes_a_file_only_as_a_slug_without_separators(string name, string slug) =>
        Assert.Equal(slug, ReportWriter.Slug(name));

    [Fact]
    public void Two_names_with_one_slug_get_two_files()
    {
        var writer = new ReportWriter(Path.Combine(dir, "r"));
        writer.Table(new CsvTable("a"), "x y", null);
        writer.Table(new CsvTable("a"), "x/y", null);
        Assert.Equal([Path.Combine(dir, "r", "tables", "x-y.csv"), Path.Combine(dir, "r", "tables", "x-y-2.csv")], writer.Tables);
        Assert.All(writer.Tables, t => Assert.True(File.Exists(t), t));
    }

    /// <summary>Every start tag of a serialized DOM with its attribute names (values are quoted, their quotes escaped).</summary>
    static List<(string Name, List<string> Attributes)> Tags(string dom) =>
        [.. Regex.Matches(dom, "<([a-zA-Z][^\\s>/]*)((?:\\s+[^\\s=>/]+(?:=\"[^\"]*\")?)*)\\s*/?>")
            .Select(m => (m.Groups[1].Value.ToLowerInvariant(),
                Regex.Matches(m.Groups[2].Value, "\\s([^\\s=>/\"]+)(?:=\"[^\"]*\")?").Select(a => a.Groups[1].Value.ToLowerInvariant()).ToList()))];

    HashSet<string> Files() => [.. Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Select(Path.GetFullPath)];

    static string Text(string html) => System.Net.WebUtility.HtmlDecode(Regex.Replace(html, "<[^>]*>", ""));
}
