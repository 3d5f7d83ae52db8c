using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using Shatter.Results;

namespace Shatter.Experiments;

/// <summary>
/// Reads an experiment spec from YAML. Every error is a <see cref="ShatterException"/> that names the file
/// and the line: YAML syntax, unknown keys (with the nearest known one), wrong shapes and bad values
/// (each option is checked by applying it, so a spec that parses expands without errors).
/// </summary>
public static class SpecParser
{
    static readonly string[] TopKeys = ["name", "description", "shared", "scales", "grid", "report"];
    const string ScaleGrid = "grid", ScaleDescription = "description", PointName = "name";

    public static ExperimentSpec Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ShatterException($"cannot read the spec {path} ({e.Message.TrimEnd('.')}); give the path of a YAML spec or a built-in name ({string.Join(", ", BuiltInSpecs.Names)}).");
        }
        return Parse(text, path);
    }

    public static ExperimentSpec Parse(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ShatterException($"{source} line {e.Start.Line}: {Message(e)}; fix the YAML syntax.");
        }
        catch (ArgumentException e)
        {
            // YamlDotNet reports a duplicate mapping key this way
            throw new ShatterException($"{source}: {e.Message.TrimEnd('.')}; give each key once.");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's parser gives up this way on a flow collection that is never closed ("[1, 2" or "{a: 1")
            throw new ShatterException($"{source} line {UnclosedBracket(text)}: a '[' or '{{' opened here is never closed; close it or fix the YAML syntax.");
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new ShatterException($"{source} line 1: a spec is one YAML mapping with the keys {string.Join(", ", TopKeys)}.");
        var p = new Reader(source);
        string? name = null, description = null;
        List<SpecSetting> shared = [];
        Dictionary<string, SpecScale> scales = [];
        List<GridAxis> grid = [];
        (YamlMappingNode Node, ReportHints Hints)? report = null;
        foreach (var (keyNode, value) in root.Children)
        {
            var key = p.Key(keyNode);
            switch (key)
            {
                case "name": name = p.Identifier(value, p.Scalar(value, key), "spec name"); break;
                case "description": description = p.Scalar(value, key); break;
                case "shared": shared = p.Settings(p.Map(value, key), null); break;
                case "grid": grid = p.Grid(p.Map(value, key)); break;
                case "report": report = (p.Map(value, key), p.Report(p.Map(value, key))); break;
                case "scales":
                    foreach (var (scaleKey, scaleValue) in p.Map(value, key).Children)
                    {
                        var scaleName = p.Identifier(scaleKey, p.Key(scaleKey), "scale name");
                        scales[scaleName] = p.Scale(scaleName, p.Map(scaleValue, scaleName));
                    }
                    break;
                default:
                    throw p.Error(keyNode, $"unknown key '{key}' at the top of a spec; use {string.Join(", ", TopKeys)}");
            }
        }
        if (string.IsNullOrWhiteSpace(name)) throw p.Error(root, "the spec has no 'name'; add one");
        if (scales.Count == 0) throw p.Error(root, "the spec has no 'scales'; add at least one (dry-run, quick, paper)");
        if (report is { } r) p.CheckReport(r.Node, r.Hints, grid, scales.Values);
        var spec = new ExperimentSpec(name, description ?? "", source, shared, scales, grid, report?.Hints);
        foreach (var scale in scales.Keys) spec.Axes(scale);   // two axes that set one option fail here, at the file's line
        return spec;
    }

    /// <summary>The 1-based line of the first '[' or '{' that is never closed (outside quotes and comments); the last line when none is found.</summary>
    static int UnclosedBracket(string text)
    {
        var open = new Stack<int>();
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            char quote = '\0';
            foreach (var c in lines[i])
            {
                if (quote != '\0') { if (c == quote) quote = '\0'; continue; }
                if (c is '"' or '\'') quote = c;
                else if (c == '#') break;
                else if (c is '[' or '{') open.Push(i + 1);
                else if (c is ']' or '}' && open.Count > 0) open.Pop();
            }
        }
        return open.Count > 0 ? open.Last() : lines.Length;
    }

    /// <summary>Ends an error message as a sentence (a question mark ends it too).</summary>
    internal static string End(string message) => message.EndsWith('?') || message.EndsWith('.') ? message : message + ".";

    static string Message(YamlException e)
    {
        var m = e.InnerException?.Message ?? e.Message;
        var at = m.IndexOf("): ", StringComparison.Ordinal);
        return (at >= 0 && m.StartsWith('(') ? m[(at + 3)..] : m).TrimEnd('.');
    }

    /// <summary>Walks the nodes; every error carries the source and the node's line.</summary>
    sealed class Reader(string source)
    {
        public ShatterException Error(YamlNode node, string message) => new($"{source} line {node.Start.Line}: {End(message)}");

        public string Key(YamlNode node) => node is YamlScalarNode { Value: { } v } ? v : throw Error(node, "a key must be a plain word");

        /// <summary>
        /// A spec or scale name: it becomes part of file names (report figures, Slurm scripts), a Slurm job name and
        /// database keys, so it is a word of letters, digits, '.', '_' and '-' — never a path, markup or a line break.
        /// </summary>
        public string Identifier(YamlNode node, string text, string what) =>
            System.Text.RegularExpressions.Regex.IsMatch(text, "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
                ? text
                : throw Error(node, $"the {what} '{text.ReplaceLineEndings(" ")}' must be a word of letters, digits, '.', '_' and '-' (at most 64, starting with a letter or digit); rename it");

        public string Scalar(YamlNode node, string key) =>
            node is YamlScalarNode s ? s.Value ?? "" : throw Error(node, $"'{key}' takes one value, not a list or a map");

        public YamlMappingNode Map(YamlNode node, string key) =>
            node as YamlMappingNode ?? throw Error(node, $"'{key}' must be a map of keys to values");

        public SpecScale Scale(string name, YamlMappingNode map)
        {
            string description = "";
            var settings = new List<SpecSetting>();
            var grid = new List<GridAxis>();
            foreach (var (keyNode, value) in map.Children)
            {
                var key = Key(keyNode);
                if (key == ScaleDescription) description = Scalar(value, key);
                else if (key == ScaleGrid) grid = Grid(Map(value, key));
                else settings.Add(Setting(keyNode, key, value));
            }
            return new SpecScale(name, description, settings, grid);
        }

        public List<SpecSetting> Settings(YamlMappingNode map, string? allowed)
        {
            var list = new List<SpecSetting>();
            foreach (var (keyNode, value) in map.Children)
            {
                var key = Key(keyNode);
                if (key == allowed) continue;
                list.Add(Setting(keyNode, key, value));
            }
            return list;
        }

        SpecSetting Setting(YamlNode keyNode, string key, YamlNode value)
        {
            if (!TrainOptions.IsOption(key)) throw Error(keyNode, $"unknown option '{key}'{TrainOptions.Suggest(key)}");
            IReadOnlyList<string?> values = value switch
            {
                YamlScalarNode s => [s.Value],
                YamlSequenceNode seq when Training.TrainOption.ByKey(key)?.IsList == true => [.. seq.Children.Select(c => Scalar(c, key))],
                _ => throw Error(value, $"option '{key}' takes one value, not a list or a map (lists of values belong in 'grid')"),
            };
            var setting = new SpecSetting(key, values, (int)keyNode.Start.Line);
            Check(setting);
            return setting;
        }

        /// <summary>Applies the setting to a default configuration, so a bad value fails here, at its line.</summary>
        void Check(SpecSetting setting)
        {
            try
            {
                TrainOptions.Set(new Training.TrainConfig(), setting.Key, setting.Values);
            }
            catch (FormatException e)
            {
                throw new ShatterException($"{source} line {setting.Line}: {End(e.Message)}");
            }
        }

        /// <summary>The <c>report:</c> map: x, series, panels (axis names) and metrics (a list).</summary>
        public ReportHints Report(YamlMappingNode map)
        {
            var hints = new ReportHints();
            foreach (var (keyNode, value) in map.Children)
            {
                var key = Key(keyNode);
                hints = key switch
                {
                    "x" => hints with { X = Scalar(value, key) },
                    "series" => hints with { Series = Scalar(value, key) },
                    "panels" => hints with { Panels = Scalar(value, key) },
                    "metrics" => hints with { Metrics = Metrics(value) },
                    _ => throw Error(keyNode, $"unknown key '{key}' under 'report'; use {string.Join(", ", ReportHints.Keys)}"),
                };
            }
            return hints;
        }

        List<string> Metrics(YamlNode value)
        {
            var items = value switch
            {
                YamlSequenceNode seq => seq.Children,
                YamlScalarNode s => [s],
                _ => throw Error(value, "'metrics' takes a list of metric names"),
            };
            var list = new List<string>();
            foreach (var item in items)
            {
                var m = Scalar(item, "metrics");
                if (!ReportHints.MetricNames.Contains(m))
                    throw Error(item, $"unknown metric '{m}' under 'report'; use {string.Join(", ", ReportHints.MetricNames)}");
                list.Add(m);
            }
            return list;
        }

        /// <summary>The hints' axes must be axes of the grid (of the spec or of one of its scales); x and series different ones.</summary>
        public void CheckReport(YamlMappingNode node, ReportHints hints, IReadOnlyList<GridAxis> grid, IEnumerable<SpecScale> scales)
        {
            var axes = grid.Select(a => a.Name).Concat(scales.SelectMany(s => s.Grid.Select(a => a.Name))).Distinct().ToList();
            foreach (var (key, axis) in new[] { ("x", hints.X), ("series", hints.Series), ("panels", hints.Panels) })
            {
                if (axis is null || axes.Contains(axis)) continue;
                var line = node.Children.First(c => c.Key is YamlScalarNode { Value: var k } && k == key).Key;
                throw Error(line, $"report {key} '{axis}' is not an axis of the grid; use one of {(axes.Count == 0 ? "(none: the spec has no grid)" : string.Join(", ", axes))}");
            }
            if (hints.X is not null && hints.X == hints.Series) throw Error(node, "report x and series must name different axes");
        }

        public List<GridAxis> Grid(YamlMappingNode map)
        {
            var axes = new List<GridAxis>();
            foreach (var (keyNode, value) in map.Children)
            {
                var axis = Key(keyNode);
                if (value is not YamlSequenceNode seq || seq.Children.Count == 0)
                    throw Error(value, $"grid axis '{axis}' must be a non-empty list of values");
                var values = new List<GridValue>();
                foreach (var item in seq.Children)
                {
                    if (item is YamlMappingNode point)
                    {
                        var settings = Settings(point, PointName);
                        var label = point.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: PointName }).Value is YamlScalarNode n
                            ? n.Value ?? ""
                            : string.Join(", ", settings.Select(s => $"{s.Key}={string.Join(",", s.Values)}"));
                        values.Add(new GridValue(label, settings, (int)item.Start.Line));
                    }
                    else if (item is YamlScalarNode scalar)
                    {
                        if (!TrainOptions.IsOption(axis))
                            throw Error(keyNode, $"grid axis '{axis}' is not an option{TrainOptions.Suggest(axis)} (an axis with another name lists maps of options)");
                        var setting = new SpecSetting(axis, [scalar.Value], (int)item.Start.Line);
                        Check(setting);
                        values.Add(new GridValue(scalar.Value ?? "", [setting], (int)item.Start.Line));
                    }
                    else throw Error(item, $"a value of grid axis '{axis}' must be a value or a map of options, not a list");
                }
                axes.Add(new GridAxis(axis, values, (int)keyNode.Start.Line));
            }
            return axes;
        }
    }
}
