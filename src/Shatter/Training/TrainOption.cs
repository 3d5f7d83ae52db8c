using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace Shatter.Training;

/// <summary>
/// One training option as <see cref="OptionAttribute"/> describes it on its <see cref="TrainConfig"/> property: spec
/// key, command-line spelling, type, default, range, words and help. Text from the command line and from a spec goes
/// through the same <see cref="Parse"/> (one vocabulary, non-finite numbers refused), and every range check is
/// <see cref="Problem"/>, so the CLI, the spec keys, validation and docs/options.md cannot drift apart.
/// </summary>
public sealed class TrainOption
{
    // before All, whose initializer uses it
    static readonly NullabilityInfoContext Nullability = new();

    /// <summary>Every option, in the order of <see cref="TrainConfig"/>'s properties.</summary>
    public static IReadOnlyList<TrainOption> All { get; } = [.. typeof(TrainConfig).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.GetCustomAttribute<OptionAttribute>() is not null)
        .OrderBy(p => p.MetadataToken)
        .Select(p => new TrainOption(p))];

    /// <summary>The option of a <see cref="TrainConfig"/> property: <c>TrainOption.Of(nameof(TrainConfig.Threads))</c>.</summary>
    public static TrainOption Of(string property) =>
        All.FirstOrDefault(o => o.Property == property) ?? throw new ArgumentException($"TrainConfig.{property} is not an option (it has no [Option])", nameof(property));

    /// <summary>The option a spec key names (<c>learning_rate</c>), or null.</summary>
    public static TrainOption? ByKey(string key) => All.FirstOrDefault(o => o.Key == key);

    /// <summary>The option a command-line spelling names (<c>--lr</c>), or null.</summary>
    public static TrainOption? ByCli(string cli) => All.FirstOrDefault(o => o.Cli == cli);

    readonly PropertyInfo property;
    readonly OptionAttribute a;

    TrainOption(PropertyInfo property)
    {
        this.property = property;
        a = property.GetCustomAttribute<OptionAttribute>()!;
        var underlying = Nullable.GetUnderlyingType(property.PropertyType);
        Type = underlying ?? property.PropertyType;
        IsNullable = underlying is not null || Nullability.Create(property).WriteState == NullabilityState.Nullable;
        var space = a.Cli.IndexOf(' ');
        Cli = space < 0 ? a.Cli : a.Cli[..space];
        Placeholder = space < 0 ? null : a.Cli[(space + 1)..].Trim('<', '>');
        Words = Type.IsEnum ? [.. Enum.GetNames(Type).Select(JsonNamingPolicy.KebabCaseLower.ConvertName)] : a.Words;
    }

    /// <summary>The <see cref="TrainConfig"/> property (<c>LearningRate</c>).</summary>
    public string Property => property.Name;
    /// <summary>The spec key and run.json name: the property in snake_case (<c>learning_rate</c>).</summary>
    public string Key => JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name);
    /// <summary>The command-line option (<c>--lr</c>).</summary>
    public string Cli { get; }
    /// <summary>The command-line template (<c>--lr &lt;X&gt;</c>), as Spectre.Console.Cli declares it.</summary>
    public string Template => a.Cli;
    /// <summary>The value's name on the command line (<c>X</c>); null for a flag.</summary>
    public string? Placeholder { get; }
    public bool IsFlag => Placeholder is null;
    /// <summary>The value a flag sets (false for <c>--no-whiten</c>).</summary>
    public bool FlagValue => !a.Negated;
    /// <summary>The value's type, without Nullable.</summary>
    public Type Type { get; }
    /// <summary>Whether the option may be left open (null: <c>default</c> in a spec), its default then said in words.</summary>
    public bool IsNullable { get; }
    /// <summary>The words a text or enum option takes (kebab-case), or null.</summary>
    public IReadOnlyList<string>? Words { get; }
    public bool IsList => a.List;
    public string Help => a.Help;

    /// <summary>The default, as a spec writes it, or in words where it depends on other options.</summary>
    public string Default => a.Default ?? (IsFlag && Type == typeof(bool) ? (Get(new TrainConfig()) is true == FlagValue ? "on" : "off") : Format(Get(new TrainConfig())));

    /// <summary>The allowed range in words ("positive", "between 0 and 1"), or null when any value of the type is.</summary>
    public string? Range => a.Range ?? RangeWords();

    /// <summary>How a message names the option: <c>--lr</c>, or <c>option 'learning_rate'</c>.</summary>
    public string Name(OptionSpelling spelling) => spelling == OptionSpelling.Cli ? Cli : $"option '{Key}'";

    public object? Get(TrainConfig config) => property.GetValue(config);

    /// <summary>A copy of <paramref name="config"/> with this option set to <paramref name="value"/> (already parsed).</summary>
    public TrainConfig With(TrainConfig config, object? value)
    {
        var copy = config with { };
        property.SetValue(copy, value);
        return copy;
    }

    /// <summary><see cref="Parse"/> then <see cref="With"/>.</summary>
    public TrainConfig Apply(TrainConfig config, string? text, OptionSpelling spelling) => With(config, Parse(text, spelling));

    /// <summary>
    /// The value of <paramref name="text"/> (as typed on the command line or written in a spec), range-checked.
    /// Throws <see cref="FormatException"/> whose message names the option in <paramref name="spelling"/> and says what it takes.
    /// </summary>
    public object? Parse(string? text, OptionSpelling spelling) => Parse(text, Name(spelling));

    /// <summary><see cref="Parse(string?, OptionSpelling)"/> for an option another command spells its own way (<c>data preview --unit</c>).</summary>
    public object? Parse(string? text, string name)
    {
        text = text?.Trim();
        if (IsNullable && text is null or "" or "~" or "null" or "default") return null;
        if (string.IsNullOrEmpty(text)) throw new FormatException($"{name} needs a value");
        object value = Type switch
        {
            _ when Type == typeof(string) => ParseText(text, name),
            _ when Type == typeof(bool) => text.ToLowerInvariant() switch
            {
                "true" or "yes" or "on" => true,
                "false" or "no" or "off" => false,
                _ => throw new FormatException($"{name} must be true or false, not '{text}'"),
            },
            _ when Type.IsEnum => Enum.GetValues(Type).GetValue(WordIndex(text, name))!,
            _ when Type == typeof(int) || Type == typeof(long) => ParseWhole(text, name),
            _ when Type == typeof(double) => ParseNumber(text, name),
            _ => throw new FormatException($"{name} has a type ({Type.Name}) that cannot be written as text"),
        };
        if (Problem(value, name) is { } problem) throw new FormatException(problem);
        return value;
    }

    /// <summary>"--lr must be positive, not -1" when <paramref name="value"/> is outside the range; null otherwise (and for null).</summary>
    public string? Problem(object? value, OptionSpelling spelling) => Problem(value, Name(spelling));

    /// <summary><see cref="Problem(object?, OptionSpelling)"/> naming the option <paramref name="name"/>.</summary>
    public string? Problem(object? value, string name)
    {
        if (value is not (int or long or double)) return null;
        double x = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        bool ok = (a.MinExclusive ? x > a.Min : x >= a.Min) && (a.MaxExclusive ? x < a.Max : x <= a.Max);
        return ok ? null : $"{name} must be {Range}, not {Format(value)}";
    }

    /// <summary>A value as a spec writes it: invariant numbers, kebab-case enum words, true/false.</summary>
    public static string Format(object? value) => value switch
    {
        null => "default",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f when value.GetType().IsEnum => JsonNamingPolicy.KebabCaseLower.ConvertName(f.ToString()!),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    string ParseText(string text, string name)
    {
        if (Words is null && !a.Lowercase) return text;
        // a PREFIX:PATH name (csv:, folder:, npz:, torchscript:) keeps its path as written (file names are case-sensitive)
        int colon = text.IndexOf(':');
        if (Words is null) return colon > 0 ? text[..colon].ToLowerInvariant() + text[colon..] : text.ToLowerInvariant();
        if (!IsList) return Words[WordIndex(text, name)];
        var words = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join(',', words.Select(w => Words[WordIndex(w, name)]).Distinct());
    }

    int WordIndex(string text, string name)
    {
        var at = Words!.ToList().IndexOf(text.ToLowerInvariant());
        if (at >= 0) return at;
        var noun = a.Noun ?? string.Join(' ', JsonNamingPolicy.KebabCaseLower.ConvertName(Type.Name).Split('-'));
        throw new FormatException($"unknown {noun} '{text}' for {name}; use {Alternatives(Words!)}");
    }

    object ParseWhole(string text, string name)
    {
        if (!long.TryParse(text.Replace("_", ""), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            throw new FormatException($"{name} must be a whole number, not '{text}'");
        if (Type == typeof(int) && n is > int.MaxValue or < int.MinValue)
            throw new FormatException($"{name} must be a whole number of at most {int.MaxValue}, not {text}");
        return Type == typeof(int) ? (object)(int)n : n;
    }

    static object ParseNumber(string text, string name)
    {
        if (!double.TryParse(text.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out var x))
            throw new FormatException($"{name} must be a number, not '{text}'");
        // 1e400 parses as infinity: a finite number was meant, and no option takes an infinite one
        if (!double.IsFinite(x)) throw new FormatException($"{name} must be a finite number, not '{text}'");
        return x;
    }

    /// <summary>"a, b or c".</summary>
    public static string Alternatives(IReadOnlyList<string> words) =>
        words.Count == 1 ? words[0] : $"{string.Join(", ", words.Take(words.Count - 1))} or {words[^1]}";

    string? RangeWords()
    {
        if (double.IsNegativeInfinity(a.Min) && double.IsPositiveInfinity(a.Max)) return null;
        static string N(double x) => x.ToString(CultureInfo.InvariantCulture);
        bool whole = Type != typeof(double);
        if (double.IsPositiveInfinity(a.Max))
            return (a.Min, a.MinExclusive, whole) switch
            {
                (0, true, _) or (1, false, true) => "positive",
                (0, false, true) => "0 or positive",
                (_, true, _) => $"above {N(a.Min)}",
                _ => $"at least {N(a.Min)}",
            };
        if (double.IsNegativeInfinity(a.Min)) return a.MaxExclusive ? $"below {N(a.Max)}" : $"at most {N(a.Max)}";
        return (a.MinExclusive, a.MaxExclusive) switch
        {
            (false, false) => $"between {N(a.Min)} and {N(a.Max)}",
            (false, true) => $"at least {N(a.Min)} and below {N(a.Max)}",
            (true, false) => $"above {N(a.Min)} and at most {N(a.Max)}",
            (true, true) => $"strictly between {N(a.Min)} and {N(a.Max)}",
        };
    }
}
