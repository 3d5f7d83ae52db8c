using System.Text.Json;
using Shatter.Training;

namespace Shatter.Results;

/// <summary>One run as the results store holds it, seen through one spec and scale it belongs to.</summary>
public sealed record RunRecord(
    string Hash,
    string Spec,
    string Scale,
    int Order,
    IReadOnlyDictionary<string, string> Point,
    string ConfigJson,
    string Status,
    string? Worker,
    string? StartedAt,
    string? FinishedAt,
    int Attempts,
    string? Error,
    string? SummaryJson,
    string? RunJson,
    string? HostJson)
{
    public TrainConfig Config => JsonSerializer.Deserialize<TrainConfig>(ConfigJson, Json.Options)!;
    public TrainSummary? Summary => SummaryJson is null ? null : JsonSerializer.Deserialize<TrainSummary>(SummaryJson, Json.Options);
    public bool Done => Status == RunStatus.Done;
}
