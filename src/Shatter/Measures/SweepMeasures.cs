using System.Globalization;
using System.Text;
using Shatter.Results;

namespace Shatter.Measures;

/// <summary>
/// The measures of many runs: the finished runs of a spec in a results database (their folders are
/// &lt;database folder&gt;/runs/&lt;hash&gt;), or run folders given by path; each run's measures go to its
/// measures.json, the database's measures tables (when there is one) and one CSV.
/// </summary>
public static class SweepMeasures
{
    public sealed record Row(string Run, string? Hash, MeasureFile Measures);

    /// <summary>The finished runs of <paramref name="spec"/> (at <paramref name="scale"/>, or every scale) in the database at <paramref name="db"/>.</summary>
    public static IReadOnlyList<(string Hash, string Dir)> RunsOf(string db, string spec, string? scale)
    {
        using var store = ResultsStore.OpenExisting(db);
        var runs = store.Runs(spec, scale);
        if (runs.Count == 0)
            throw new ShatterException($"the results database {db} has no runs of spec '{spec}'{(scale is null ? "" : $" at scale {scale}")}; check --spec (and --scale), or run 'shatter sweep {spec}' first.");
        var folder = Path.GetDirectoryName(Path.GetFullPath(db))!;
        return [.. runs.Where(r => r.Done).Select(r => r.Hash).Distinct().Select(h => (h, Path.Combine(folder, "runs", h)))];
    }

    /// <summary>Computes (or reads back) the measures of each run; stores them in the database if <paramref name="db"/> is given.</summary>
    public static List<Row> Compute(IReadOnlyList<(string? Hash, string Dir)> runs, string? db, IReadOnlyList<string> groups, FlatnessSettings flatness,
        Action<int, string, string>? progress = null)
    {
        var rows = new List<Row>();
        using var store = db is null ? null : MeasureStore.Open(db);
        for (int i = 0; i < runs.Count; i++)
        {
            var (hash, dir) = runs[i];
            var file = RunMeasures.Compute(dir, groups, flatness, group => progress?.Invoke(i, dir, group));
            if (hash is not null) store?.Save(hash, file);
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
