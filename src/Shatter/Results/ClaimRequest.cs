namespace Shatter.Results;

/// <summary>
/// What a worker may claim: queued runs of <paramref name="Spec"/> and <paramref name="Scale"/> (null: any), failed runs
/// too when <paramref name="Failed"/>, and running runs whose lease is older than <paramref name="Lease"/>. Queued and
/// failed runs in <paramref name="Skip"/> (those this worker already tried in this pass, e.g. one it handed back because
/// its folder was still in use) are not claimed again, so a pass never spins on one run.
/// </summary>
public sealed record ClaimRequest(string? Spec, string? Scale, string Worker, IReadOnlySet<string> Skip, TimeSpan Lease, bool Failed = true);
