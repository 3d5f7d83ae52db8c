using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Shatter.Training;

namespace Shatter.Experiments;

/// <summary>
/// The options a spec may set: every init property of <see cref="TrainConfig"/> under its snake_case name
/// (<c>learning_rate</c>, <c>train_size</c>, …), plus the <c>shatter train</c> spellings <c>lr</c>, <c>lr_decay</c>
/// and <c>augment</c> (a list or comma list of crop, flip). Values are parsed from YAML scalars and
/// range-checked here, so a bad spec fails before any run starts, naming the key.
/// </summary>
public static class TrainOptions
{
    static readonly Dictionary<string, PropertyInfo> Properties = typeof(TrainConfig)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite)
        .ToDictionary(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name));

    static readonly Dictionary<string, string> Aliases = new()
    {
        ["lr"] = "learning_rate",
        ["lr_decay"] = "learning_rate_decay",
    };

    /// <summary>Every key a spec may use as an option.</summary>
    public static IReadOnlyList<string> Keys { get; } =
        [.. Properties.Keys.Concat(Aliases.Keys).Append("augment").Order(StringComparer.Ordinal)];

    public static bool IsOption(string key) => Properties.ContainsKey(key) || Aliases.ContainsKey(key) || key == "augment";

    /// <summary>
    /// Sets <paramref name="key"/> (one scalar or, for <c>augment</c>, a list of scalars) on a copy of
    /// <paramref name="config"/>. Throws <see cref="FormatException"/> with a message that names the problem
    /// (the caller prefixes the file and line).
    /// </summary>
    public static TrainConfig Set(TrainConfig config, string key, IReadOnlyList<string?> values)
    {
        if (key == "augment") return SetAugment(config, values);
        if (!IsOption(key)) throw new FormatException($"unknown option '{key}'{Suggest(key)}");
        if (values.Count != 1) throw new FormatException($"option '{key}' takes one value, not a list");
        var name = Aliases.GetValueOrDefault(key, key);
        var property = Properties[name];
        object? value = Parse(name, property.PropertyType, values[0]);
        var copy = config with { };
        property.SetValue(copy, value);
        return copy;
    }

    /// <summary>"; did you mean 'x'?" for the nearest known key within two edits, else a pointer to the list.</summary>
    public static string Suggest(string key)
    {
        var best = Keys.Select(k => (k, d: Distance(key, k))).MinBy(t => t.d);
        return best.d <= Math.Max(2, key.Length / 3) ? $"; did you mean '{best.k}'?" : $"; the options are {string.Join(", ", Keys)}";
    }

    static TrainConfig SetAugment(TrainConfig config, IReadOnlyList<string?> values)
    {
        var words = values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        foreach (var w in words)
            if (w is not ("crop" or "flip" or "none"))
                throw new FormatException($"unknown augmentation '{w}' for 'augment'; use crop, flip or none");
        return config with { AugmentCrop = words.Contains("crop"), AugmentFlip = words.Contains("flip") };
    }

    static object? Parse(string name, Type type, string? text)
    {
        var nullable = Nullable.GetUnderlyingType(type);
        if (nullable is not null || !type.IsValueType)
        {
            if (text is null or "" or "~" or "null" or "default") return null;
            type = nullable ?? type;
        }
        if (text is null) throw new FormatException($"option '{name}' needs a value");
        if (type == typeof(string)) return text;
        if (type == typeof(bool))
            return text.ToLowerInvariant() switch
            {
                "true" or "yes" or "on" => true,
                "false" or "no" or "off" => false,
                _ => throw new FormatException($"option '{name}' must be true or false, not '{text}'"),
            };
        if (type.IsEnum)
        {
            var choices = Enum.GetNames(type).Select(n => JsonNamingPolicy.KebabCaseLower.ConvertName(n)).ToList();
            var at = choices.IndexOf(text.ToLowerInvariant());
            if (at < 0) throw new FormatException($"option '{name}' must be one of {string.Join(", ", choices)}, not '{text}'");
            return Enum.GetValues(type).GetValue(at);
        }
        if (type == typeof(int) || type == typeof(long))
        {
            if (!long.TryParse(text.Replace("_", ""), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
                throw new FormatException($"option '{name}' must be a whole number, not '{text}'");
            CheckRange(name, n);
            return type == typeof(int) ? (object)checked((int)n) : n;
        }
        if (type == typeof(double))
        {
            if (!double.TryParse(text.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out var x) || !double.IsFinite(x))
                throw new FormatException($"option '{name}' must be a number, not '{text}'");
            CheckRange(name, x);
            return x;
        }
        throw new FormatException($"option '{name}' has a type ({type.Name}) a spec cannot set");
    }

    /// <summary>The ranges the trainer accepts; the message states the range.</summary>
    static void CheckRange(string name, double x)
    {
        (double lo, double hi, bool loOpen, bool hiOpen)? range = name switch
        {
            "label_noise" or "fit_target" => (0, 1, name == "fit_target", false),
            "dropout" or "momentum" => (0, 1, false, true),
            "learning_rate" => (0, double.PositiveInfinity, true, true),
            "learning_rate_decay" => (0, 1, true, false),
            "weight_decay" => (0, double.PositiveInfinity, false, true),
            "epochs" or "batch_size" or "decay_every" or "eval_batch_size" => (1, double.PositiveInfinity, false, true),
            _ => (0, double.PositiveInfinity, false, true),
        };
        var (lo2, hi2, lo2Open, hi2Open) = range.Value;
        bool ok = (lo2Open ? x > lo2 : x >= lo2) && (hi2Open ? x < hi2 : x <= hi2);
        if (!ok)
        {
            var hiText = double.IsPositiveInfinity(hi2) ? "∞" : hi2.ToString(CultureInfo.InvariantCulture);
            throw new FormatException($"option '{name}' must be in {(lo2Open ? "(" : "[")}{lo2.ToString(CultureInfo.InvariantCulture)}, {hiText}{(hi2Open ? ")" : "]")}, not {x.ToString(CultureInfo.InvariantCulture)}");
        }
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
