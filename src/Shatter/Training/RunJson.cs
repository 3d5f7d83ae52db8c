using System.Text.Json;
using System.Text.Json.Nodes;
using Shatter.Models;
using Shatter.Runtime;
using static TorchSharp.torch;

namespace Shatter.Training;

/// <summary>run.json (the resolved configuration and where it ran) and the run's identity (what a checkpoint must match).</summary>
static class RunJson
{
    /// <summary>
    /// The configuration minus what may change between an interrupted run and its resumption. The schedule is
    /// resolved while UntilFit still holds its value, and left out where it is the paper's or the rate is constant
    /// (what every checkpoint written before the option existed meant), so those checkpoints still resume.
    /// </summary>
    public static string Identity(TrainConfig c)
    {
        var node = JsonSerializer.SerializeToNode(c with
        {
            Schedule = c.Schedule,
            DataDir = null, Device = "cpu", Threads = 0, EvalBatchSize = 1000, Epochs = 1, MaxSteps = 0, UntilFit = false, FitTarget = 1,
        }, Json.Options)!.AsObject();
        if (c.Schedule == LearningRateSchedule.Paper || c.LearningRateDecay == 1) node.Remove(JsonNamingPolicy.SnakeCaseLower.ConvertName(nameof(TrainConfig.Schedule)));
        return node.ToJsonString(Json.Options);
    }

    /// <summary>
    /// The SHA-256 of the TorchScript model a checkpoint's identity (<paramref name="checkpointIdentity"/>) was trained
    /// with, when the two identities differ in that alone; null otherwise (another difference, or no such model).
    /// </summary>
    public static string? ModelChanged(string checkpointIdentity, TrainConfig c)
    {
        var key = JsonNamingPolicy.SnakeCaseLower.ConvertName(nameof(TrainConfig.ModelSha256));
        JsonObject? saved;
        try
        {
            saved = JsonNode.Parse(checkpointIdentity) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
        if (c.ModelSha256 is null || saved?[key]?.GetValue<string>() is not { } trained || trained == c.ModelSha256) return null;
        return Identity(c with { ModelSha256 = trained }) == checkpointIdentity ? trained : null;
    }

    public static void Write(RunFolder run, TrainConfig config, ModelSpec spec, long parameters, int threads, Device device, ITrainingTask task)
    {
        var resolved = new Dictionary<string, object?> { ["learning_rate"] = config.LearningRate };
        foreach (var (key, value) in task.Resolved) resolved[key] = value;
        resolved["model_family"] = spec.Family;
        resolved["parameters"] = parameters;
        var doc = new
        {
            Config = config,
            Resolved = resolved,
            Seed = config.Seed,
            Weights = new { Initial = RunWeights.InitialFile, Final = RunWeights.FinalFile }, // PyTorch state_dicts (torch.load)
            Threads = threads,
            Device = device.type.ToString().ToLowerInvariant(),
            Versions = TorchRuntime.Versions(),
            Machine = new { Environment.MachineName, Cores = Environment.ProcessorCount },
            Started = DateTimeOffset.UtcNow,
        };
        AtomicFile.WriteAllText(run.RunJson, JsonSerializer.Serialize(doc, Json.Options));
    }
}
