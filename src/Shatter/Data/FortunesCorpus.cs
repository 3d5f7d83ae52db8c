using System.Text;
using System.Text.RegularExpressions;

namespace Shatter.Data;

/// <summary>
/// <c>fortunes</c>: the embedded text corpus, Debian's <c>fortunes</c> package (/usr/share/games/fortunes; BSD
/// fortune's files, each a category of short texts separated by lines holding only '%'). Each category file is a
/// class; the task is to tell a text's category (topic classification). What is kept, so the set is the same on
/// every machine with the package (fortunes 1:1.99.1-7.3 on Debian 12: docs/user-data.md gives its numbers):
/// <list type="bullet">
/// <item>the category files at the top of the folder (not the .dat indexes, not the .u8 links, not the off/
/// folder of offensive fortunes that the separate fortunes-off package installs);</item>
/// <item>texts with the terminal overstrike (char, backspace) pairs of old fortunes removed and outer whitespace
/// trimmed; empty entries dropped;</item>
/// <item>a text that appears (equal up to whitespace) in two or more categories is dropped from all of them (its label
/// would be ambiguous); a text repeated within one category is kept once;</item>
/// <item>categories with fewer than <see cref="MinimumTexts"/> texts after that are dropped (too few to learn or test).</item>
/// </list>
/// Labels are the kept category names in ordinal order; the test set is a seeded, stratified fraction.
/// </summary>
public static partial class FortunesCorpus
{
    public const string Name = "fortunes";
    public const string SystemFolder = "/usr/share/games/fortunes";
    public const int MinimumTexts = 100;

    [GeneratedRegex(@".\x08")]
    private static partial Regex Overstrike();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Space();

    /// <summary>The folder holding the category files: --data-dir (or its fortunes/), else $SHATTER_DATA (or its fortunes/), else the system folder.</summary>
    public static string Folder(string? dataDir)
    {
        var roots = new List<string>();
        var env = Environment.GetEnvironmentVariable(DatasetCatalog.EnvironmentVariable);
        foreach (var root in dataDir is not null ? [dataDir] : string.IsNullOrEmpty(env) ? Array.Empty<string>() : [env])
        {
            roots.Add(Path.Combine(root, Name));
            roots.Add(root);
        }
        if (dataDir is null) roots.Add(SystemFolder);
        return roots.FirstOrDefault(r => Directory.Exists(r) && Categories(r).Any())
            ?? throw new ShatterException($"the fortunes corpus is not installed (looked in {string.Join(", ", roots)}); install it with 'apt-get install fortunes' or pass --data-dir a folder holding the fortune files.");
    }

    /// <summary>The category files of a fortunes folder, by name.</summary>
    static IEnumerable<string> Categories(string folder) =>
        Directory.EnumerateFiles(folder)
            .Where(f => Path.GetExtension(f).Length == 0 && !Path.GetFileName(f).StartsWith('.') && new FileInfo(f).LinkTarget is null)
            .Order(StringComparer.Ordinal);

    /// <summary>All texts of the kept categories (before the split) and the category names.</summary>
    public static (LabelledTexts Texts, IReadOnlyList<string> Classes) Read(string folder)
    {
        var byCategory = Categories(folder).ToDictionary(f => Path.GetFileName(f)!, f => Entries(f));
        // normalised text -> the categories it appears in
        var owners = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (category, entries) in byCategory)
            foreach (var e in entries)
            {
                var key = Space().Replace(e, " ");
                if (!owners.TryGetValue(key, out var set)) owners[key] = set = [];
                set.Add(category);
            }
        var kept = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (category, entries) in byCategory)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var texts = entries.Where(e => { var k = Space().Replace(e, " "); return owners[k].Count == 1 && seen.Add(k); }).ToList();
            if (texts.Count >= MinimumTexts) kept[category] = texts;
        }
        if (kept.Count < 2)
            throw new ShatterException($"{folder} holds {kept.Count} fortune categor{(kept.Count == 1 ? "y" : "ies")} of at least {MinimumTexts} texts; reinstall the fortunes package ('apt-get install --reinstall fortunes').");
        var classes = kept.Keys.ToList();
        var all = kept.Values.SelectMany(t => t).ToList();
        var labels = kept.Values.SelectMany((t, i) => Enumerable.Repeat(i, t.Count)).ToList();
        return (new LabelledTexts(all, labels), classes);
    }

    /// <summary>The corpus split by the options' seeded fraction and tokenized.</summary>
    public static TextDataset Load(TextOptions options, string? dataDir = null)
    {
        var folder = Folder(dataDir);
        var (all, classes) = Read(folder);
        var (train, test) = all.Split(classes.Count, options.TestFraction, options.SplitSeed);
        return TextEncoding.Build(Name, folder, classes, train, test, options);
    }

    /// <summary>The entries of one fortune file: split at lines holding only '%', overstrikes removed, trimmed, empty ones dropped.</summary>
    static List<string> Entries(string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ShatterException($"the fortune file {file} cannot be read ({DataFiles.Reason(e)}); reinstall the fortunes package.", e);
        }
        var entries = new List<string>();
        var current = new StringBuilder();
        foreach (var line in text.ReplaceLineEndings("\n").Split('\n'))
        {
            if (line == "%")
            {
                Add(entries, current);
                continue;
            }
            current.Append(line).Append('\n');
        }
        Add(entries, current);
        return entries;
    }

    static void Add(List<string> entries, StringBuilder current)
    {
        var entry = Overstrike().Replace(current.ToString(), "").Trim();
        if (entry.Length > 0) entries.Add(entry);
        current.Clear();
    }
}
