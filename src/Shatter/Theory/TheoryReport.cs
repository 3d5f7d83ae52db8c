using System.Text.Json;

namespace Shatter.Theory;

/// <summary>
/// The theory results a report shows, saved as JSON in a results folder by <c>shatter kernel|expressivity --report DIR</c>:
/// DIR/theory-kernel.json and DIR/theory-expressivity.json; a new row replaces an older one of the same setting, so the two
/// commands fill one folder. The report's theory section (Reporting) draws them, in the report of the folder's database and
/// on DIR/theory.html, which the commands rewrite.
/// </summary>
public static class TheoryReport
{
    const string KernelFile = "theory-kernel.json";
    const string ExpressivityFile = "theory-expressivity.json";

    /// <summary>Adds the rows to DIR/theory-kernel.json (replacing rows of the same setting).</summary>
    public static void SaveKernel(string dir, IReadOnlyList<KernelResult> rows) =>
        Save(dir, KernelFile, rows, r => (r.Dataset, r.Features, r.Kernel, r.TrainSize, r.TestSize, r.LabelNoise),
            list => list.OrderBy(r => r.Features).ThenBy(r => r.TrainSize).ThenBy(r => r.LabelNoise).ToList());

    /// <summary>Adds the rows to DIR/theory-expressivity.json (replacing rows of the same setting).</summary>
    public static void SaveExpressivity(string dir, IReadOnlyList<ExpressivityResult> rows) =>
        Save(dir, ExpressivityFile, rows, r => (r.Source, r.N, r.D, r.Deep?.Depth ?? 1),
            list => list.OrderBy(r => r.Source).ThenBy(r => r.N).ToList());

    /// <summary>The kernel rows saved in <paramref name="dir"/>; none when there are none.</summary>
    public static IReadOnlyList<KernelResult> Kernel(string dir) => Read<List<KernelResult>>(Path.Combine(dir, KernelFile)) ?? [];

    /// <summary>The Theorem 1 rows saved in <paramref name="dir"/>; none when there are none.</summary>
    public static IReadOnlyList<ExpressivityResult> Expressivity(string dir) => Read<List<ExpressivityResult>>(Path.Combine(dir, ExpressivityFile)) ?? [];

    /// <summary>The lock file that makes each read-modify-write of the JSON files one at a time across processes.</summary>
    public const string LockName = ".theory.lock";

    static void Save<T, TKey>(string dir, string file, IReadOnlyList<T> rows, Func<T, TKey> key, Func<IEnumerable<T>, List<T>> order) where T : class
    {
        Directory.CreateDirectory(dir);
        using var exclusive = Exclusive(dir); // two commands reporting into one folder: each keeps the other's rows
        var path = Path.Combine(dir, file);
        var keys = rows.Select(key).ToHashSet();
        var kept = (Read<List<T>>(path) ?? []).Where(r => !keys.Contains(key(r)));
        AtomicFile.WriteAllText(path, Json.Serialize(order(kept.Concat(rows))));
    }

    /// <summary>Waits for the folder's lock (an exclusive flock on <see cref="LockName"/>, dropped when the holder exits).</summary>
    static FileStream Exclusive(string dir)
    {
        var path = Path.Combine(dir, LockName);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (File.Exists(path))
            {
                // held by another writer: an update takes seconds at most
                if (waited.Elapsed > LockPatience)
                    throw new ShatterException($"another shatter process has held {path} for over {LockPatience.TotalMinutes:0} minutes; wait for it to finish, or report into another folder.", e);
                Thread.Sleep(20);
            }
        }
    }

    static readonly TimeSpan LockPatience = TimeSpan.FromMinutes(5);

    static T? Read<T>(string path) where T : class =>
        File.Exists(path) ? JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json.Options) : null;
}
