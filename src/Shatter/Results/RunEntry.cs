using System.Text.Json.Nodes;

namespace Shatter.Results;

/// <summary>
/// One run as seen from one spec and scale it belongs to, as read for listing and export: its grid point
/// (axis → label, in the spec's order), the columns of its row in the runs table other than the JSON
/// documents (by name: whatever columns the store has), and its configuration, summary and host
/// documents (null where the run has none yet).
/// </summary>
public sealed record RunEntry(
    string Spec,
    string Scale,
    string Hash,
    long Order,
    IReadOnlyList<KeyValuePair<string, string>> Point,
    IReadOnlyList<KeyValuePair<string, object?>> Fields,
    JsonObject? Config,
    JsonObject? Summary,
    JsonObject? Host)
{
    public string? Status => Field("status") as string;

    /// <summary>A column of the run's row in the runs table; null if it is NULL or the store has no such column.</summary>
    public object? Field(string name) => Fields.FirstOrDefault(f => f.Key == name).Value;

    /// <summary>The label of an axis of the run's grid point; null if its spec has no such axis.</summary>
    public string? Axis(string name) => Point.FirstOrDefault(p => p.Key == name).Value;
}
