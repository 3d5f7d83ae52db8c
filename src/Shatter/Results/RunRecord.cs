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
    /// <summary>The database the record was read from, for error messages.</summary>
    public string? Database { get; init; }

    public TrainConfig Config => Document<TrainConfig>(ConfigJson, "configuration")!;
    public TrainSummary? Summary => SummaryJson is null ? null : Document<TrainSummary>(SummaryJson, "summary");

    /// <summary>A stored JSON document; a damaged one is one sentence naming the database and the run.</summary>
    T? Document<T>(string json, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Json.Options);
        }
        catch (JsonException e)
        {
            throw new ShatterException(DamagedDocument(Database ?? "at hand", Hash, what, e.Message), e);
        }
    }

    /// <summary>The sentence for a damaged JSON document of a stored run.</summary>
    public static string DamagedDocument(string database, string hash, string what, string reason) =>
        $"the results database {database} holds a damaged {what} for run {hash} ({reason.Split('\n')[0].TrimEnd('.')}); restore the database from a copy, or run the sweep again into a new --db file.";
    public bool Done => Status == RunStatus.Done;
}
