namespace Shatter.Experiments;

/// <summary>
/// One axis of a spec's grid. Named after an option (<c>model: [mlp-1x512, alexnet]</c>) its values are
/// scalars of that option; under any other name (<c>randomization</c>) its values are maps of options.
/// </summary>
public sealed record GridAxis(string Name, IReadOnlyList<GridValue> Values, int Line);
