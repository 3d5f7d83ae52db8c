namespace Shatter.Results;

/// <summary>A run this worker now owns; <see cref="Resume"/> when an earlier attempt started it.</summary>
public sealed record ClaimedRun(RunRecord Run, bool Resume);
