using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shatter.Training;

namespace Shatter.Results;

/// <summary>
/// The runs of a results database as one flat table, one row per (spec, scale, run): <c>spec, scale,
/// hash, order</c>, the grid point's axes (e.g. <c>model, randomization, seed</c>), every column of the
/// store's runs table (<c>status, attempts, seconds, error, ...</c>), every field of summary.json
/// (<c>steps_to_fit, final_test_accuracy, wall_seconds, ...</c>), the configuration as <c>config_*</c> and
/// the host as <c>host_*</c>. Columns come from what the database holds, so fields that other versions add
/// appear without a change here; a name already taken gets its group's prefix (<c>axis_</c>, <c>run_</c>,
/// <c>summary_</c>). Each column's kind is the narrowest that holds all its values.
/// </summary>
public static class RunTable
{
    static readonly HashSet<string> Documents = ["config_json", "summary_json", "host_json", "run_json"];

    /// <summary>The runs of <paramref name="spec"/> (all specs when null), in spec, scale and grid order.</summary>
    public static IReadOnlyList<RunEntry> Load(ResultsReader reader, string? spec = null)
    {
        const string Sql = """
            SELECT s.spec, s.scale, s.hash, s.ord, s.point_json, r.* FROM run_specs s JOIN runs r ON r.hash = s.hash
            ORDER BY s.spec, s.scale, s.ord
            """;
        var names = reader.ColumnNames(Sql);
        var list = new List<RunEntry>();
        foreach (var row in reader.Rows(Sql))
        {
            if (spec is not null && (string)row[0]! != spec) continue;
            var point = JsonNode.Parse((string)row[4]!)!.AsObject().Select(p => new KeyValuePair<string, string>(p.Key, p.Value?.ToString() ?? "")).ToList();
            var fields = new List<KeyValuePair<string, object?>>();
            JsonObject? config = null, summary = null, host = null;
            for (int i = 5; i < row.Length; i++)
            {
                string name = names[i];
                if (name == "hash") continue;
                if (!Documents.Contains(name)) fields.Add(new(name, row[i]));
                else if (row[i] is string json)
                {
                    var doc = Parse(json, reader.Path, (string)row[2]!, name);
                    if (name == "config_json") config = doc;
                    else if (name == "summary_json") summary = doc;
                    else if (name == "host_json") host = doc;
                }
            }
            list.Add(new RunEntry((string)row[0]!, (string)row[1]!, (string)row[2]!, System.Convert.ToInt64(row[3], CultureInfo.InvariantCulture), point, fields, config, summary, host));
        }
        return list;
    }

    /// <summary>A stored document; a damaged one is one sentence naming the database and run (as the report says it), never a run shown as if whole.</summary>
    static JsonObject? Parse(string json, string database, string hash, string column)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException e)
        {
            throw new ShatterException(RunRecord.DamagedDocument(database, hash, column.Replace("_json", "", StringComparison.Ordinal) switch
            {
                "config" => "configuration",
                var other => other,
            }, e.Message), e);
        }
    }

    /// <summary>The distinct axis names of <paramref name="runs"/>, in the order they first appear.</summary>
    public static IReadOnlyList<string> Axes(IEnumerable<RunEntry> runs) => [.. runs.SelectMany(r => r.Point.Select(p => p.Key)).Distinct()];

    /// <summary>The flat table of <paramref name="runs"/> (named "runs").</summary>
    public static ExportTable Build(IReadOnlyList<RunEntry> runs)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var columns = new List<(string Name, Func<RunEntry, object?> Get, ColumnKind? Declared)>();
        void Add(string key, string prefix, bool prefixAlways, Func<RunEntry, object?> get, ColumnKind? declared)
        {
            string name = prefixAlways ? prefix + key : key;
            if (taken.Contains(name)) name = prefix + key;
            for (int k = 2; taken.Contains(name); k++) name = $"{prefix}{key}_{k}";
            taken.Add(name);
            columns.Add((name, get, declared));
        }
        Add("spec", "", false, r => r.Spec, ColumnKind.Text);
        Add("scale", "", false, r => r.Scale, ColumnKind.Text);
        Add("hash", "", false, r => r.Hash, ColumnKind.Text);
        Add("order", "", false, r => r.Order, ColumnKind.Integer);
        foreach (var axis in Axes(runs)) Add(axis, "axis_", false, r => r.Axis(axis), Declared(ConfigKinds, axis) ?? ColumnKind.Text);
        foreach (var field in runs.SelectMany(r => r.Fields.Select(f => f.Key)).Distinct()) Add(field, "run_", false, r => r.Field(field), null);
        foreach (var key in Keys(runs.Select(r => r.Summary))) Add(key, "summary_", false, r => Value(r.Summary?[key]), Declared(SummaryKinds, key));
        foreach (var key in Keys(runs.Select(r => r.Config))) Add(key, "config_", true, r => Value(r.Config?[key]), Declared(ConfigKinds, key));
        foreach (var key in Keys(runs.Select(r => r.Host))) Add(key, "host_", true, r => Value(r.Host?[key]), ColumnKind.Text);

        var cells = runs.Select(r => columns.Select(c => c.Get(r)).ToArray()).ToList();
        // a declared column keeps its type whatever values this export holds (final_train_accuracy is a double even when every
        // run fitted, a column of nulls is typed, the seed axis is an integer), so two exports read together agree
        var kinds = Enumerable.Range(0, columns.Count).Select(i => columns[i].Declared is { } k && Fits(cells.Select(row => row[i]), k) ? k : KindOf(cells.Select(row => row[i]))).ToArray();
        foreach (var row in cells)
            for (int i = 0; i < row.Length; i++) row[i] = As(row[i], kinds[i]);
        return new ExportTable("runs", [.. columns.Select((c, i) => new TableColumn(c.Name, kinds[i]))], cells);
    }

    /// <summary>The declared kinds of summary.json's fields and of the configuration's, by their JSON names (from the records' property types).</summary>
    static readonly IReadOnlyDictionary<string, ColumnKind> SummaryKinds = KindsOf(typeof(TrainSummary)), ConfigKinds = KindsOf(typeof(TrainConfig));

    static Dictionary<string, ColumnKind> KindsOf(Type type) => type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
        .Where(p => p.GetIndexParameters().Length == 0)
        .ToDictionary(p => Json.Options.PropertyNamingPolicy!.ConvertName(p.Name), p => (Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType) switch
        {
            var t when t == typeof(double) || t == typeof(float) => ColumnKind.Real,
            var t when t == typeof(long) || t == typeof(int) || t == typeof(short) => ColumnKind.Integer,
            var t when t == typeof(bool) => ColumnKind.Boolean,
            _ => ColumnKind.Text,
        });

    static ColumnKind? Declared(IReadOnlyDictionary<string, ColumnKind> kinds, string key) => kinds.TryGetValue(key, out var k) ? k : null;

    /// <summary>The declared kind of an axis: that of the configuration field it is named after (seed: integer), else text.</summary>
    public static ColumnKind AxisKind(string axis) => Declared(ConfigKinds, axis) ?? ColumnKind.Text;

    /// <summary>Whether every value converts to <paramref name="kind"/> without loss (else the inferred kind stands).</summary>
    static bool Fits(IEnumerable<object?> values, ColumnKind kind) => values.All(v => v is null || kind switch
    {
        ColumnKind.Text => true,
        ColumnKind.Boolean => v is bool,
        ColumnKind.Integer => v is long || v is string s && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        ColumnKind.Real => v is long or double || v is string s && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
        _ => false,
    });

    /// <summary>An axis label as its declared kind's value (seed "1" → 1), for every output alike.</summary>
    public static object? AxisValue(string axis, string? label) => As(label, AxisKind(axis));

    static IEnumerable<string> Keys(IEnumerable<JsonObject?> docs) => docs.Where(d => d is not null).SelectMany(d => d!.Select(p => p.Key)).Distinct();

    /// <summary>A JSON value as a cell: string, long, double, bool, null; objects and arrays as their JSON text.</summary>
    static object? Value(JsonNode? node)
    {
        if (node is not JsonValue v) return node?.ToJsonString();
        return v.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when v.TryGetValue<long>(out var l) => l,
            JsonValueKind.Number => v.GetValue<double>(),
            JsonValueKind.String => v.GetValue<string>() switch
            {
                "NaN" => double.NaN,
                "Infinity" => double.PositiveInfinity,
                "-Infinity" => double.NegativeInfinity,
                var s => s,
            },
            _ => null,
        };
    }

    static ColumnKind KindOf(IEnumerable<object?> values)
    {
        var present = values.Where(v => v is not null).ToList();
        if (present.Count == 0) return ColumnKind.Text;
        if (present.All(v => v is bool)) return ColumnKind.Boolean;
        if (present.All(v => v is long)) return ColumnKind.Integer;
        if (present.All(v => v is long or double)) return ColumnKind.Real;
        return ColumnKind.Text;
    }

    static object? As(object? value, ColumnKind kind) => (value, kind) switch
    {
        (null, _) => null,
        (long l, ColumnKind.Real) => (double)l,
        (string s, ColumnKind.Integer) when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
        (string s, ColumnKind.Real) when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        (bool b, ColumnKind.Text) => b ? "true" : "false",
        (double d, ColumnKind.Text) => d.ToString("R", CultureInfo.InvariantCulture),
        (IFormattable f, ColumnKind.Text) => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value,
    };
}
