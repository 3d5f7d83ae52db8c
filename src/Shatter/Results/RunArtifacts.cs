using System.Globalization;
using Shatter.Training;

namespace Shatter.Results;

/// <summary>
/// Reads what the trainer left in a run folder (epochs.csv, steps.csv, examples.csv, summary.json, run.json)
/// into a <see cref="RunResult"/> for the store. Columns are found by header name; a missing steps or
/// examples file gives no rows, a missing epochs.csv or summary.json is an error.
/// </summary>
public static class RunArtifacts
{
    public static RunResult Read(string runDir, double seconds)
    {
        var summary = Path.Combine(runDir, "summary.json");
        if (!File.Exists(summary)) throw new InvalidDataException($"the run left no summary.json in {runDir}");
        var runJson = Path.Combine(runDir, "run.json");
        var epochs = Rows(Path.Combine(runDir, "epochs.csv"), required: true, c => new EpochMetrics(
            (int)c.Long("epoch"), c.Long("step"), c.Double("lr"), c.Double("train_loss"), c.Double("train_accuracy"),
            c.Double("test_loss"), c.Double("test_accuracy"), c.Double("seconds")));
        var steps = Rows(Path.Combine(runDir, "steps.csv"), required: false, c => new StepRow(
            c.Long("step"), (int)c.Long("epoch"), c.Double("lr"), c.Double("loss")));
        var examples = Rows(Path.Combine(runDir, "examples.csv"), required: false, c => new ExampleRow(
            (int)c.Long("index"), c.Bool("label_changed"), c.Bool("input_changed"), (int)c.Long("first_fit_epoch")));
        // a resumed run may repeat rows written before its checkpoint: keep the last of each key
        epochs = [.. epochs.GroupBy(e => e.Epoch).Select(g => g.Last()).OrderBy(e => e.Epoch)];
        steps = [.. steps.GroupBy(s => s.Step).Select(g => g.Last()).OrderBy(s => s.Step)];
        examples = [.. examples.GroupBy(x => x.Index).Select(g => g.Last()).OrderBy(x => x.Index)];
        return new RunResult(File.ReadAllText(summary), File.Exists(runJson) ? File.ReadAllText(runJson) : null, epochs, steps, examples, seconds,
            MemorizationFile.Read(runDir));
    }

    /// <summary>One CSV row, its fields looked up by the header's column names.</summary>
    sealed class Cells(Dictionary<string, int> columns, string[] fields, string path, int line)
    {
        string Get(string name) => columns.TryGetValue(name, out var i) && i < fields.Length ? fields[i]
            : throw new InvalidDataException($"{path} line {line} has no column '{name}'");

        public long Long(string name) => long.Parse(Get(name), CultureInfo.InvariantCulture);

        public double Double(string name) => Get(name) switch
        {
            "nan" or "NaN" => double.NaN,
            var s => double.Parse(s, CultureInfo.InvariantCulture),
        };

        public bool Bool(string name) => Get(name).ToLowerInvariant() switch
        {
            "1" or "true" => true,
            "0" or "false" => false,
            var s => throw new InvalidDataException($"{path} line {line}: '{s}' in column '{name}' is not a boolean"),
        };
    }

    static List<T> Rows<T>(string path, bool required, Func<Cells, T> parse)
    {
        if (!File.Exists(path))
            return required ? throw new InvalidDataException($"the run left no {Path.GetFileName(path)} in {Path.GetDirectoryName(path)}") : [];
        var list = new List<T>();
        using var reader = new StreamReader(path);
        var header = reader.ReadLine();
        if (header is null) return list;
        var columns = header.Split(',').Select((name, i) => (name: name.Trim(), i)).ToDictionary(t => t.name, t => t.i);
        int line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0) continue;
            list.Add(parse(new Cells(columns, text.Split(','), path, line)));
        }
        return list;
    }
}
