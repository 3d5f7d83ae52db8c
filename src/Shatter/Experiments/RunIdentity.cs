using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shatter.Training;

namespace Shatter.Experiments;

/// <summary>
/// A run's identity: the first 16 hex digits of the SHA-256 of its canonical configuration — the
/// snake_case JSON of the <see cref="TrainConfig"/>, keys sorted, without the execution-only fields
/// (where the data lives, the device, the thread count, the evaluation batch size), which do not
/// change what is learned. The same configuration gets the same hash in every spec, process and machine.
/// Options added later carry <see cref="IdentityNeutralAttribute"/>: left out while they hold the value that
/// reproduces what runs did before they existed, so adding an option keeps every existing identity (pinned in
/// RunIdentityTests). The schedule is also left out when the rate is constant (decay 1), where it changes nothing.
/// </summary>
public static class RunIdentity
{
    /// <summary>Fields that say how a run executes, not what it computes.</summary>
    public static readonly IReadOnlySet<string> ExecutionOnly = new HashSet<string> { "data_dir", "device", "threads", "eval_batch_size" };

    public const int Length = 16;

    public static string Hash(TrainConfig config)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(config)));
        return Convert.ToHexStringLower(bytes)[..Length];
    }

    /// <summary>Compact JSON with sorted keys and execution-only fields removed.</summary>
    public static string Canonical(TrainConfig config)
    {
        var node = JsonSerializer.SerializeToNode(config, Json.Options)!.AsObject();
        var omit = new HashSet<string>(ExecutionOnly);
        foreach (var (name, neutral) in Neutral)
            if (JsonNode.DeepEquals(node[name], neutral)) omit.Add(name);
        if (config.LearningRateDecay == 1) omit.Add(ScheduleKey);
        var sorted = new JsonObject();
        foreach (var (key, value) in node.OrderBy(p => p.Key, StringComparer.Ordinal))
            if (!omit.Contains(key)) sorted[key] = value?.DeepClone();
        return sorted.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    static readonly string ScheduleKey = JsonNamingPolicy.SnakeCaseLower.ConvertName(nameof(TrainConfig.Schedule));

    /// <summary>Each identity-neutral option's JSON name and neutral value, as serialized.</summary>
    static readonly IReadOnlyList<(string Name, JsonNode? Value)> Neutral = typeof(TrainConfig).GetProperties()
        .Select(p => (p, a: p.GetCustomAttributes(typeof(IdentityNeutralAttribute), false).Cast<IdentityNeutralAttribute>().FirstOrDefault()))
        .Where(t => t.a is not null)
        .Select(t => (JsonNamingPolicy.SnakeCaseLower.ConvertName(t.p.Name), JsonSerializer.SerializeToNode(t.a!.Value, t.p.PropertyType, Json.Options)))
        .ToList();
}
