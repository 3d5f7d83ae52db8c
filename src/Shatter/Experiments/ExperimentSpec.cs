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

    /// <summary>
    /// How many grid points <paramref name="scale"/> has (the product of its axes' lengths; <see cref="Expand"/> may merge
    /// points that resolve to the same run), counted without expanding them.
    /// </summary>
    public long GridSize(string scale)
    {
        var s = Scale(scale);
        var axes = Grid.Select(a => s.Grid.FirstOrDefault(b => b.Name == a.Name) ?? a).Concat(s.Grid.Where(b => Grid.All(a => a.Name != b.Name)));
        return axes.Aggregate(1L, (n, axis) => n > long.MaxValue / Math.Max(1, axis.Values.Count) ? long.MaxValue : n * axis.Values.Count);
    }

    /// <summary>Grids larger than this are registered only when asked to (<c>--yes</c>): the size is stated first.</summary>
    public const long LargeGrid = 10_000;

    /// <summary>
    /// Refuses a grid of more than <see cref="LargeGrid"/> points unless <paramref name="yes"/>: a mistyped axis can ask for
    /// millions of runs, whose registering alone takes minutes and gigabytes.
    /// </summary>
    public void CheckSize(string scale, bool yes)
    {
        long size = GridSize(scale);
        if (size > LargeGrid && !yes)
            throw new ShatterException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"spec '{Name}' at scale '{scale}' has {size:N0} runs ({string.Join(" × ", Scale(scale).Grid.Concat(Grid).DistinctBy(a => a.Name).Select(a => $"{a.Name} {a.Values.Count}"))}), more than {LargeGrid:N0}; pass --yes to register and run them all, or narrow the grid."));
    }

    /// <summary>
    /// The runs of <paramref name="scale"/>; <paramref name="overrides"/> (e.g. --dataset) apply last. Every run's configuration
    /// is validated here, before anything runs: an impossible combination is one sentence naming the spec, the run and
    /// the option. So are two axes that set one option (the later would silently win over the label of the earlier).
    /// </summary>
    public IReadOnlyList<PlannedRun> Expand(string scale, IReadOnlyList<SpecSetting>? overrides = null)
    {
        var s = Scale(scale);
        var baseConfig = Apply(Apply(new TrainConfig(), Shared), s.Settings);
        var axes = Axes(scale);
        var points = new List<(TrainConfig Config, Dictionary<string, string> Point)> { (baseConfig, new()) };
        foreach (var axis in axes)
            points = [.. points.SelectMany(p => axis.Values.Select(v =>
                (Apply(p.Config, v.Settings), new Dictionary<string, string>(p.Point) { [axis.Name] = v.Label })))];
        var runs = new List<PlannedRun>();
        var seen = new HashSet<string>();
        foreach (var (config, point) in points)
        {
            var final = overrides is null ? config : Apply(config, overrides);
            try
            {
                final.Validate(OptionSpelling.Spec);
                final = final.WithModelHash(); // a torchscript:PATH model's file is part of the identity: a changed file is a new run
            }
            catch (ShatterException e)
            {
                var run = point.Count == 0 ? "its run" : "run " + string.Join(", ", point.Select(p => $"{p.Key}={p.Value}"));
                throw new ShatterException($"spec '{Name}' ({Source}) at scale {scale}, {run}: {e.Message}", e);
            }
            var hash = RunIdentity.Hash(final);
            if (seen.Add(hash)) runs.Add(new PlannedRun(hash, final, point, runs.Count));
        }
        return runs;
    }

    /// <summary>
    /// The grid axes at <paramref name="scale"/>: the scale's axes replace the spec's axes of the same name, in place; new
    /// ones go last. Throws when two of them set one option.
    /// </summary>
    public IReadOnlyList<GridAxis> Axes(string scale)
    {
        var s = Scale(scale);
        var axes = Grid.Select(a => s.Grid.FirstOrDefault(b => b.Name == a.Name) ?? a)
            .Concat(s.Grid.Where(b => Grid.All(a => a.Name != b.Name))).ToList();
        for (int i = 0; i < axes.Count; i++)
            for (int j = 0; j < i; j++)
            {
                var both = Keys(axes[j]).Intersect(Keys(axes[i])).FirstOrDefault();
                if (both is not null)
                    throw new ShatterException($"{Source} line {axes[i].Line}: grid axes '{axes[j].Name}' (line {axes[j].Line}) and '{axes[i].Name}' both set '{both}' at scale {scale}, "
                        + $"so a run's label would not say what it ran; set '{both}' in one axis only.");
            }
        return axes;
    }

    static IEnumerable<string> Keys(GridAxis axis) => axis.Values.SelectMany(v => v.Settings.Select(s => s.Key)).Distinct();

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
