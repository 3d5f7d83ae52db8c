namespace Shatter.Results;

/// <summary>
/// What a worker may claim: runs of <paramref name="Spec"/> and <paramref name="Scale"/> (null: any), failed runs too
/// when <paramref name="Failed"/> (except those in <paramref name="Skip"/>), and running runs whose lease is older than
/// <paramref name="Lease"/>.
/// </summary>
public sealed record ClaimRequest(string? Spec, string? Scale, string Worker, IReadOnlySet<string> Skip, TimeSpan Lease, bool Failed = true);
