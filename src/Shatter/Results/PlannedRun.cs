using Shatter.Training;

namespace Shatter.Results;

/// <summary>
/// One run of an expanded spec: its identity, its resolved configuration and its grid point
/// (axis name → label, e.g. randomization → "random labels"), in grid order.
/// </summary>
public sealed record PlannedRun(string Hash, TrainConfig Config, IReadOnlyDictionary<string, string> Point, int Order);
