namespace Shatter.Experiments;

/// <summary>One option set in a spec: its key, its scalar value(s) as written, and the line it is on (1-based).</summary>
public sealed record SpecSetting(string Key, IReadOnlyList<string?> Values, int Line);
