using System.Text.RegularExpressions;

namespace Shatter.Tests;

/// <summary>
/// The folders of src/Shatter form layers down the data flow (docs/architecture.md): Data → Corruptions → Models →
/// Training → Results → Experiments → Measures/Adversarial → Reporting → Pipelines, with Theory beside Training and
/// Runtime (and the files at the root) under everything; the CLI is its own project on top. A file may use its own
/// folder and folders of lower layers only. This test reads every source file, drops comments and string literals,
/// and finds each reference to another folder's namespace: a using directive, a fully-qualified name
/// (Shatter.Results.X) or a name qualified from inside Shatter (Results.X), so an upward edge cannot slip in.
/// </summary>
public sealed partial class LayerImportTests
{
    /// <summary>Folder → layer. Equal layers may not use each other (Measures and Adversarial are siblings).</summary>
    public static readonly IReadOnlyDictionary<string, int> Layers = new Dictionary<string, int>
    {
        [""] = 0, ["Runtime"] = 0,
        ["Data"] = 1, ["Environments"] = 1,
        ["Corruptions"] = 2,
        ["Models"] = 3,
        ["Training"] = 4, ["Theory"] = 4,
        ["Results"] = 5,
        ["Experiments"] = 6,
        ["Measures"] = 7, ["Adversarial"] = 7,
        ["Reporting"] = 8,
        ["Pipelines"] = 9,
    };

    [Fact]
    public void Every_folder_of_the_library_uses_only_its_own_and_lower_layers()
    {
        var upward = Edges().Where(e => !Allowed(e.From, e.To))
            .Select(e => $"{e.File}: {e.From} → {e.To} ({e.Text})").Distinct().ToList();
        Assert.True(upward.Count == 0, "upward or sideways imports:\n" + string.Join("\n", upward));
    }

    [Fact]
    public void Every_folder_of_the_library_has_a_layer()
    {
        var folders = Directory.GetDirectories(Source()).Select(Path.GetFileName)
            .Where(f => f is not ("bin" or "obj")).ToList();
        Assert.NotEmpty(folders);
        Assert.All(folders, f => Assert.True(Layers.ContainsKey(f!), $"src/Shatter/{f} has no layer in LayerImportTests.Layers (and docs/architecture.md)"));
    }

    [Fact]
    public void The_scanner_finds_using_directives_full_names_and_names_qualified_from_inside_the_namespace()
    {
        // the detector itself: each of these must be seen as a reference to Results, and the comment and string not
        const string code = """
            using Shatter.Results;
            using static Shatter.Results.Stores;
            // Measures.MeasureFile in a comment
            var s = "Adversarial.AttackRun in a string";
            var a = Shatter.Results.RunStatus.Done;
            var b = Results.RunStatus.Done;
            """;
        var found = References(Strip(code)).ToList();
        Assert.Equal(4, found.Count(r => r.Folder == "Results"));
        Assert.DoesNotContain(found, r => r.Folder is "Measures" or "Adversarial");
    }

    static bool Allowed(string from, string to) => from == to || Layers[to] < Layers[from];

    static IEnumerable<(string File, string From, string To, string Text)> Edges()
    {
        var root = Source();
        foreach (var path in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, path);
            if (relative.StartsWith("bin", StringComparison.Ordinal) || relative.StartsWith("obj", StringComparison.Ordinal)) continue;
            var from = relative.Contains(Path.DirectorySeparatorChar) ? relative[..relative.IndexOf(Path.DirectorySeparatorChar)] : "";
            foreach (var (folder, text) in References(Strip(File.ReadAllText(path))))
                if (Layers.ContainsKey(folder)) yield return (relative, from, folder, text);
        }
    }

    static IEnumerable<(string Folder, string Text)> References(string code)
    {
        var folders = string.Join("|", Layers.Keys.Where(k => k.Length > 0));
        var full = new Regex($@"\bShatter\.({folders})\b");
        var inner = new Regex($@"(?<![\w.])({folders})\.[A-Z]\w*");
        foreach (Match m in full.Matches(code)) yield return (m.Groups[1].Value, m.Value);
        foreach (Match m in inner.Matches(code)) yield return (m.Groups[1].Value, m.Value);
    }

    /// <summary>The code without comments, string and character literals (their text names no dependency).</summary>
    static string Strip(string code) => StripPattern().Replace(code, m => m.Value.StartsWith('/') ? " " : "\"\"");

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|@""(?:[^""]|"""")*""|""""""[\s\S]*?""""""|\$?""(?:[^""\\\n]|\\.)*""|'(?:[^'\\\n]|\\.)'", RegexOptions.Singleline)]
    private static partial Regex StripPattern();

    static string Source() => Checkout.File("src", "Shatter");
}
