namespace Shatter.Experiments;

/// <summary>How a sweep ended: runs of the spec at this scale, done and failed, and how many this process ran.</summary>
public sealed record SweepOutcome(int Total, int Done, int Failed, int RanHere);
