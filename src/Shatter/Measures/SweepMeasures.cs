using System.Globalization;
using System.Text;
using Shatter.Results;

namespace Shatter.Measures;

/// <summary>
/// The measures of many runs: the finished runs of a spec in a results database, SQLite or PostgreSQL (their folders
/// are &lt;runs dir&gt;/&lt;hash&gt;), or run folders given by path; each run's measures go to its measures.json,
/// the database's measures tables (when there is one, through <see cref="IResultsStore.SaveMeasures"/>) and one CSV.
/// </summary>
public static class SweepMeasures
{
    public sealed record Row(string Run, string? Hash, MeasureFile Measures);

    /// <summary>
    /// The finished runs of <paramref name="spec"/> (at <paramref name="scale"/>, or every scale) in <paramref name="store"/>
    /// (SQLite or PostgreSQL), with their folders under <paramref name="runsDir"/> (&lt;runs dir&gt;/&lt;hash&gt;).
    /// </summary>
    public static IReadOnlyList<(string Hash, string Dir)> RunsOf(IResultsSource store, string runsDir, string spec, string? scale)
    {
        var runs = store.Runs(spec, scale);
        if (runs.Count == 0)
            throw new ShatterException($"the results database {store.Path} has no runs of spec '{spec}'{(scale is null ? "" : $" at scale {scale}")}; check --spec (and --scale), or run 'shatter sweep {spec}' first.");
        var folder = Path.GetFullPath(runsDir);
        return [.. runs.Where(r => r.Done).Select(r => r.Hash).Distinct().Select(h => (h, Path.Combine(folder, h)))];
    }

    /// <summary>Where the run folders of a results database are by default: runs/ beside a SQLite file, results/runs with PostgreSQL (as 'shatter sweep' and 'shatter worker' put them).</summary>
    public static string DefaultRunsDir(DatabaseAddress address) =>
        address.IsPostgres ? Path.GetFullPath(Path.Combine("results", "runs")) : Path.Combine(Path.GetDirectoryName(address.File!)!, "runs");

    /// <summary>Computes (or reads back) the measures of each run; stores them in <paramref name="store"/> (either backend) when given.</summary>
    public static List<Row> Compute(IReadOnlyList<(string? Hash, string Dir)> runs, IResultsStore? store, IReadOnlyList<string> groups, FlatnessSettings flatness,
        Action<int, string, string>? progress = null)
    {
        var rows = new List<Row>();
        for (int i = 0; i < runs.Count; i++)
        {
            var (hash, dir) = runs[i];
            var file = RunMeasures.Compute(dir, groups, flatness, group => progress?.Invoke(i, dir, group));
            if (hash is not null) store?.SaveMeasures(hash, file);
            rows.Add(new Row(dir, hash, file));
        }
        return rows;
    }

    /// <summary>One CSV row per run: run, hash, then every scalar measure any run has, in name order.</summary>
    public static string Csv(IReadOnlyList<Row> rows)
    {
        var names = rows.SelectMany(r => r.Measures.Values.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(",", new[] { "run", "hash" }.Concat(names)));
        foreach (var r in rows)
            sb.AppendLine(string.Join(",", new[] { Quote(r.Run), r.Hash ?? "" }.Concat(names.Select(n =>
                r.Measures.Value(n) is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : ""))));
        return sb.ToString();
    }

    static string Quote(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? $"\"{s.Replace("\"", "\"\"")}\"" : s;
}
