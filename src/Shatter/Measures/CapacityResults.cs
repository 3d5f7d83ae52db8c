using System.Text.Json;
using Shatter.Results;

namespace Shatter.Measures;

/// <summary>
/// Rademacher and shattering results saved beside a results database (DIR/capacity-rademacher.json,
/// DIR/capacity-vc.json) by <c>shatter rademacher|vc --report DIR</c> and by <c>shatter reproduce figure1</c>;
/// the report's "Traditional complexity measures" section shows them. A new result replaces an older one of the same setting.
/// </summary>
public static class CapacityResults
{
    public const string RademacherFile = "capacity-rademacher.json";
    public const string VcFile = "capacity-vc.json";

    public static void Save(string dir, RademacherResult r) =>
        Save(dir, RademacherFile, r, x => (x.Model, x.Dataset, x.TrainSize, x.Draws, x.Seed, string.Join(",", x.Budgets.Select(b => b.Epochs))));

    public static void Save(string dir, ShatteringResult r) =>
        Save(dir, VcFile, r, x => (x.Model, x.N, x.D, x.Labellings, x.Seed));

    public static IReadOnlyList<RademacherResult> Rademacher(string dir) => Read<RademacherResult>(Path.Combine(dir, RademacherFile));

    public static IReadOnlyList<ShatteringResult> Vc(string dir) => Read<ShatteringResult>(Path.Combine(dir, VcFile));

    static void Save<T, TKey>(string dir, string file, T row, Func<T, TKey> key)
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, file);
        var kept = Read<T>(path).Where(x => !EqualityComparer<TKey>.Default.Equals(key(x), key(row))).Append(row).ToList();
        AtomicFile.WriteAllText(path, Json.Serialize(kept));
    }

    static List<T> Read<T>(string path)
    {
        if (!File.Exists(path)) return [];
        try
        {
            return JsonSerializer.Deserialize<List<T>>(File.ReadAllText(path), Json.Options) ?? [];
        }
        catch (JsonException e)
        {
            throw new ShatterException($"{path} is damaged ({e.Message.TrimEnd('.')}); delete it and run the command again.", e);
        }
    }
}
