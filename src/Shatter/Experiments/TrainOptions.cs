using Shatter.Training;

namespace Shatter.Experiments;

/// <summary>
/// The options a spec may set: one key per <see cref="TrainOption"/>, its <see cref="TrainConfig"/> property in
/// snake_case (<c>learning_rate</c>, <c>train_size</c>, <c>augment</c>). Values are read from YAML scalars by the same
/// parser the command line uses (<see cref="TrainOption.Parse"/>), so a bad spec fails before any run starts, naming
/// the key.
/// </summary>
public static class TrainOptions
{
    /// <summary>Every key a spec may use as an option.</summary>
    public static IReadOnlyList<string> Keys { get; } = [.. TrainOption.All.Select(o => o.Key).Order(StringComparer.Ordinal)];

    public static bool IsOption(string key) => TrainOption.ByKey(key) is not null;

    /// <summary>
    /// Sets <paramref name="key"/> (one scalar or, for a list option such as <c>augment</c>, a list of scalars) on a copy of
    /// <paramref name="config"/>. Throws <see cref="FormatException"/> with a message that names the problem
    /// (the caller prefixes the file and line).
    /// </summary>
    public static TrainConfig Set(TrainConfig config, string key, IReadOnlyList<string?> values)
    {
        var option = TrainOption.ByKey(key) ?? throw new FormatException($"unknown option '{key}'{Suggest(key)}");
        if (values.Count != 1 && !option.IsList) throw new FormatException($"option '{key}' takes one value, not a list");
        return option.Apply(config, values.Count == 1 ? values[0] : string.Join(',', values), OptionSpelling.Spec);
    }

    /// <summary>
    /// "; did you mean 'x'?" for the nearest key within a few edits, or for the key of a command-line spelling
    /// (<c>lr</c>, <c>--lr</c>: learning_rate); else a pointer to the list.
    /// </summary>
    public static string Suggest(string key)
    {
        if (TrainOption.ByCli("--" + key.TrimStart('-').Replace('_', '-')) is { } cli && cli.Key != key)
            return $"; a spec writes {cli.Cli} as '{cli.Key}'";
        var best = Keys.Select(k => (k, d: Distance(key, k))).MinBy(t => t.d);
        return best.d <= Math.Max(2, key.Length / 3) ? $"; did you mean '{best.k}'?" : $"; the options are {string.Join(", ", Keys)}";
    }

    static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }
}
