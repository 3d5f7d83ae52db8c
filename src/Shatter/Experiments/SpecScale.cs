namespace Shatter.Experiments;

/// <summary>
/// A scale of a spec (dry-run, quick, paper): options applied over the shared ones, and grid axes that
/// replace the spec's axes of the same name (or add new ones).
/// </summary>
public sealed record SpecScale(string Name, string Description, IReadOnlyList<SpecSetting> Settings, IReadOnlyList<GridAxis> Grid);
