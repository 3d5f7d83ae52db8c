using System.Globalization;
using System.Text.Json.Nodes;

namespace Shatter.Results;

/// <summary>
/// The <c>--where KEY=VALUE</c> filters of <c>shatter runs</c>. A key is <c>spec</c>, <c>scale</c>,
/// <c>status</c>, <c>hash</c> (a prefix is enough), an axis of the runs' grid points (<c>model</c>,
/// <c>randomization</c>, <c>seed</c>, ...) or an option of their configuration (<c>label_noise</c>,
/// <c>inputs</c>, <c>train_size</c>, ...); an axis wins over the option of the same name where the run's
/// spec has that axis. Values compare without regard to case, and as numbers when both sides are numbers
/// (<c>label_noise=0.50</c> matches 0.5). Filters on different keys must all hold; repeating a key
/// accepts any of its values.
/// </summary>
public sealed class RunFilter
{
    static readonly string[] Fixed = ["spec", "scale", "status", "hash"];
    readonly List<(string Key, List<string> Values)> terms;

    RunFilter(List<(string Key, List<string> Values)> terms) => this.terms = terms;

    /// <summary>The keys a filter may use on <paramref name="runs"/>.</summary>
    public static IReadOnlyList<string> Keys(IReadOnlyList<RunEntry> runs) =>
        [.. Fixed.Concat(RunTable.Axes(runs)).Concat(runs.SelectMany(r => r.Config?.Select(p => p.Key) ?? [])).Distinct()];

    /// <summary>Parses KEY=VALUE terms; one-sentence errors for a term without '=' or an unknown key (naming the valid ones).</summary>
    public static RunFilter Parse(IEnumerable<string> where, IReadOnlyList<RunEntry> runs)
    {
        var keys = Keys(runs);
        var terms = new List<(string Key, List<string> Values)>();
        foreach (var term in where)
        {
            int eq = term.IndexOf('=');
            if (eq <= 0)
                throw new ShatterException($"--where takes KEY=VALUE (e.g. --where randomization=\"random labels\"), not '{term}'.");
            var key = term[..eq].Trim();
            var value = term[(eq + 1)..].Trim();
            if (!keys.Contains(key))
            {
                var axes = RunTable.Axes(runs);
                var options = keys.Except(Fixed).Except(axes).ToList();
                throw new ShatterException($"unknown --where key '{key}'; use spec, scale, status or hash"
                    + (axes.Count > 0 ? $", an axis ({string.Join(", ", axes)})" : "")
                    + (options.Count > 0 ? $" or a configuration option ({string.Join(", ", options)})" : "") + ".");
            }
            var existing = terms.FindIndex(t => t.Key == key);
            if (existing >= 0) terms[existing].Values.Add(value);
            else terms.Add((key, [value]));
        }
        return new RunFilter(terms);
    }

    public bool Matches(RunEntry run) => terms.All(t => t.Values.Any(v => Matches(run, t.Key, v)));

    static bool Matches(RunEntry run, string key, string wanted)
    {
        if (key == "hash") return run.Hash.StartsWith(wanted, StringComparison.OrdinalIgnoreCase) && wanted.Length > 0;
        var actual = key switch
        {
            "spec" => run.Spec,
            "scale" => run.Scale,
            "status" => run.Status,
            _ => run.Axis(key) ?? Text(run.Config?[key]),
        };
        if (actual is null) return false;
        if (string.Equals(actual, wanted, StringComparison.OrdinalIgnoreCase)) return true;
        return double.TryParse(actual, NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
            && double.TryParse(wanted, NumberStyles.Float, CultureInfo.InvariantCulture, out var b) && a == b;
    }

    static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
        _ => node.ToJsonString(),
    };
}
