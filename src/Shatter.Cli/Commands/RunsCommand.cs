using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using Shatter.Results;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Shatter.Cli.Commands;

/// <summary>
/// <c>shatter runs</c>: the runs of a results database as a table (like <c>mlflow runs list</c>): spec,
/// scale, the grid point's axes, status, epochs run, steps to fit, final train and test accuracy, and the
/// training wall time (summary.json's wall_seconds, summed over resumed attempts).
/// </summary>
public sealed class RunsCommand(IAnsiConsole console) : Command<RunsCommand.Settings>
{
    public sealed class Settings : DatabaseSettings
    {
        [CommandOption("--spec <NAME>")]
        [Description("Only the runs of this spec (e.g. figure1).")]
        public string? Spec { get; init; }

        [CommandOption("--where <KEY=VALUE>")]
        [Description("Only runs whose KEY (spec, scale, status, hash, an axis such as randomization, or a configuration option such as label_noise) equals VALUE; repeatable: different keys must all match, a repeated key matches any of its values.")]
        public string[] Where { get; init; } = [];

        [CommandOption("--json")]
        [Description("Print a JSON array instead of a table.")]
        public bool Json { get; init; }

        [CommandOption("--csv")]
        [Description("Print CSV instead of a table.")]
        public bool Csv { get; init; }

        public override ValidationResult Validate() =>
            Json && Csv ? ValidationResult.Error("--json and --csv exclude each other; choose one") : ValidationResult.Success();
    }

    /// <summary>The listed columns after the axes: name, and where its value comes from.</summary>
    static readonly (string Name, Func<RunEntry, object?> Get)[] Measures =
    [
        ("status", r => r.Status),
        ("epochs", r => Number(r.Summary, "epochs")),
        ("steps_to_fit", r => Number(r.Summary, "steps_to_fit")),
        ("final_train_accuracy", r => Number(r.Summary, "final_train_accuracy")),
        ("final_test_accuracy", r => Number(r.Summary, "final_test_accuracy")),
        ("wall_seconds", r => Number(r.Summary, "wall_seconds")),
    ];

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var reader = ResultsReader.Open(DatabaseAddress.Resolve(settings.Db));
        var all = RunTable.Load(reader);
        if (settings.Spec is not null && all.All(r => r.Spec != settings.Spec))
        {
            var specs = all.Select(r => r.Spec).Distinct().ToList();
            throw new ShatterException($"{reader.Path} holds no runs of spec '{settings.Spec}'; "
                + (specs.Count > 0 ? $"it holds {string.Join(", ", specs)}." : "it holds no runs yet; run 'shatter sweep' first."));
        }
        var inSpec = settings.Spec is null ? all : [.. all.Where(r => r.Spec == settings.Spec)];
        var filter = RunFilter.Parse(settings.Where, inSpec);
        var runs = inSpec.Where(filter.Matches).ToList();
        var axes = RunTable.Axes(runs);
        var w = console.Profile.Out.Writer;
        if (settings.Json)
        {
            var array = new JsonArray();
            foreach (var r in runs)
            {
                var o = new JsonObject { ["hash"] = r.Hash, ["spec"] = r.Spec, ["scale"] = r.Scale };
                o["axes"] = new JsonObject([.. r.Point.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, JsonValue(RunTable.AxisValue(p.Key, p.Value))))]);   // typed as the export types them (seed: a number)
                foreach (var (name, get) in Measures) o[name] = JsonValue(get(r));
                array.Add(o);
            }
            w.WriteLine(array.ToJsonString(Shatter.Json.Options));
            return 0;
        }
        string[] header = ["hash", "spec", "scale", .. axes, .. Measures.Select(m => m.Name)];
        if (settings.Csv)
        {
            w.WriteLine(string.Join(",", header.Select(TableExport.Cell)));
            foreach (var r in runs)
                w.WriteLine(string.Join(",", new object?[] { r.Hash, r.Spec, r.Scale }.Concat(axes.Select(r.Axis)).Concat(Measures.Select(m => m.Get(r))).Select(TableExport.Cell)));
            return 0;
        }
        if (runs.Count == 0)
        {
            w.WriteLine(all.Count == 0 ? $"{reader.Path} holds no runs yet." : "no runs match.");
            return 0;
        }
        // what every listed run shares (one spec, one scale, a one-value axis) goes above the table, not in a column
        var columns = new List<(string Header, Func<RunEntry, string?> Get)> { ("spec", r => r.Spec), ("scale", r => r.Scale) };
        columns.AddRange(axes.Select(a => (a, (Func<RunEntry, string?>)(r => r.Axis(a)))));
        var shared = columns.Where(c => runs.Select(c.Get).Distinct().Count() == 1).ToList();
        columns.RemoveAll(shared.Contains);
        if (shared.Count > 0) w.WriteLine("all runs: " + string.Join(", ", shared.Select(c => $"{c.Header}={c.Get(runs[0])}")));
        var table = new Table().Border(TableBorder.Simple).HideRowSeparators();
        foreach (var h in (string[])["hash", .. columns.Select(c => c.Header), "status"])
            table.AddColumn(new Spectre.Console.TableColumn(Markup.Escape(h)).PadLeft(0).PadRight(2));
        foreach (var h in (string[])["epochs", "steps\nto fit", "train\nacc %", "test\nacc %", "wall\ns"])
            table.AddColumn(new Spectre.Console.TableColumn(Markup.Escape(h)).PadLeft(0).PadRight(2).RightAligned());
        foreach (var r in runs)
            table.AddRow([r.Hash[..Math.Min(8, r.Hash.Length)], .. columns.Select(c => Markup.Escape(c.Get(r) ?? "")), Markup.Escape(r.Status ?? ""),
                Show(Number(r.Summary, "epochs"), "0"), Show(Number(r.Summary, "steps_to_fit"), "0"),
                Percent(Number(r.Summary, "final_train_accuracy")), Percent(Number(r.Summary, "final_test_accuracy")),
                Show(Number(r.Summary, "wall_seconds"), "0.0")]);
        // piped or redirected: one line per run, however wide (Spectre would wrap the table at 80 columns)
        if (!console.Profile.Out.IsTerminal) console.Profile.Width = Math.Max(console.Profile.Width, 100_000);
        console.Write(table);
        w.WriteLine($"{runs.Count} of {all.Count} runs");
        return 0;
    }

    /// <summary>A number of summary.json; null when the run has no summary, the field or a number there.</summary>
    static double? Number(JsonObject? summary, string key) =>
        summary?[key] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<double>(out var d) ? d : null;

    static JsonNode? JsonValue(object? value) => value switch
    {
        null => null,
        double d when !double.IsFinite(d) => null,
        double d => System.Text.Json.Nodes.JsonValue.Create(d),
        long l => System.Text.Json.Nodes.JsonValue.Create(l),
        bool b => System.Text.Json.Nodes.JsonValue.Create(b),
        string s => System.Text.Json.Nodes.JsonValue.Create(s),
        _ => System.Text.Json.Nodes.JsonValue.Create(value.ToString()),
    };

    static string Show(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "";

    static string Percent(double? value) => value is { } v ? (100 * v).ToString("0.00", CultureInfo.InvariantCulture) : "";
}
