namespace Shatter.Experiments;

/// <summary>
/// How a sweep ended: runs of the spec at this scale, done and failed, how many this process ran, and how many
/// of those it had to try more than once (<see cref="SweepOptions.Retries"/>).
/// </summary>
public sealed record SweepOutcome(int Total, int Done, int Failed, int RanHere, int Retried = 0);
