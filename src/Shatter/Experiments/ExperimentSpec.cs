using Shatter.Training;
using Shatter.Results;

namespace Shatter.Experiments;

/// <summary>
/// A parsed experiment spec (see docs/experiments.md): shared options, scales and a grid. Expanding it at
/// a scale gives the runs: defaults ← shared ← scale options ← grid point, one run per point of the
/// cartesian product of the axes, deduplicated by identity. <see cref="Report"/>: the spec's optional
/// <c>report:</c> hints for the generic report section.
/// </summary>
public sealed record ExperimentSpec(
    string Name,
    string Description,
    string Source,
    IReadOnlyList<SpecSetting> Shared,
    IReadOnlyDictionary<string, SpecScale> Scales,
    IReadOnlyList<GridAxis> Grid,
    ReportHints? Report = null)
{
    public SpecScale Scale(string scale) =>
        Scales.TryGetValue(scale, out var s) ? s
        : throw new ShatterException($"spec '{Name}' ({Source}) has no scale '{scale}'; use one of {string.Join(", ", Scales.Keys)}.");

    /// <summary>The runs of <paramref name="scale"/>; <paramref name="overrides"/> (e.g. --dataset) apply last.</summary>
    public IReadOnlyList<PlannedRun> Expand(string scale, IReadOnlyList<SpecSetting>? overrides = null)
    {
        var s = Scale(scale);
        var baseConfig = Apply(Apply(new TrainConfig(), Shared), s.Settings);
        // the scale's axes replace the spec's axes of the same name, in place; new ones go last
        var axes = Grid.Select(a => s.Grid.FirstOrDefault(b => b.Name == a.Name) ?? a)
            .Concat(s.Grid.Where(b => Grid.All(a => a.Name != b.Name))).ToList();
        var points = new List<(TrainConfig Config, Dictionary<string, string> Point)> { (baseConfig, new()) };
        foreach (var axis in axes)
            points = [.. points.SelectMany(p => axis.Values.Select(v =>
                (Apply(p.Config, v.Settings), new Dictionary<string, string>(p.Point) { [axis.Name] = v.Label })))];
        var runs = new List<PlannedRun>();
        var seen = new HashSet<string>();
        foreach (var (config, point) in points)
        {
            var final = overrides is null ? config : Apply(config, overrides);
            var hash = RunIdentity.Hash(final);
            if (seen.Add(hash)) runs.Add(new PlannedRun(hash, final, point, runs.Count));
        }
        return runs;
    }

    TrainConfig Apply(TrainConfig config, IReadOnlyList<SpecSetting> settings)
    {
        foreach (var setting in settings)
        {
            try
            {
                config = TrainOptions.Set(config, setting.Key, setting.Values);
            }
            catch (FormatException e)
            {
                throw new ShatterException($"{Source} line {setting.Line}: {SpecParser.End(e.Message)}");
            }
        }
        return config;
    }
}
