using System.Text.Json;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Shatter.Training;

/// <summary>
/// The state needed to continue a run exactly: model weights, optimizer momentum buffers and the
/// trainer's counters. Each checkpoint is written into its own folder; then checkpoint.json is
/// atomically pointed at it and older ones are removed, so a kill at any moment leaves the last
/// complete checkpoint in place.
/// </summary>
public sealed record CheckpointState
{
    public int Epoch { get; init; }
    public long Step { get; init; }
    public long? StepsToFit { get; init; }
    public int? EpochsToFit { get; init; }
    public double BestTestAccuracy { get; init; } = -1;
    public int BestTestEpoch { get; init; }
    public double ElapsedSeconds { get; init; }
    public long SamplesProcessed { get; init; }
    public int[] FirstFitEpoch { get; init; } = [];
    public EpochMetrics? Last { get; init; }
    /// <summary>The run's identity, so a checkpoint from another configuration is never resumed.</summary>
    public string ConfigJson { get; init; } = "";
}

public static class Checkpoint
{
    sealed record Pointer(string Folder);

    public static void Save(RunFolder run, CheckpointState state, nn.Module model, SGD optimizer)
    {
        var name = $"checkpoint-{state.Epoch:D5}";
        var dir = Path.Combine(run.Path, name);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        model.save(Path.Combine(dir, "model.bin"));
        optimizer.save_state_dict(Path.Combine(dir, "optimizer.bin"));
        File.WriteAllText(Path.Combine(dir, "state.json"), JsonSerializer.Serialize(state, Json.Options));
        AtomicFile.WriteAllText(run.CheckpointPointer, JsonSerializer.Serialize(new Pointer(name), Json.Options));
        foreach (var old in Directory.EnumerateDirectories(run.Path, "checkpoint-*"))
            if (Path.GetFileName(old) != name) Directory.Delete(old, recursive: true);
    }

    /// <summary>The model weights (model.bin) of the last complete checkpoint: a finished run's final model. Null when there is none.</summary>
    public static string? LatestModelFile(RunFolder run)
    {
        if (!File.Exists(run.CheckpointPointer)) return null;
        try
        {
            var pointer = JsonSerializer.Deserialize<Pointer>(File.ReadAllText(run.CheckpointPointer), Json.Options);
            var file = pointer is null ? null : Path.Combine(run.Path, pointer.Folder, "model.bin");
            return file is not null && File.Exists(file) ? file : null;
        }
        catch (Exception e) when (e is IOException or JsonException or ArgumentException)
        {
            throw new ShatterException($"the checkpoint pointer {run.CheckpointPointer} is damaged ({e.Message.TrimEnd('.')}); the run's final model cannot be found, so train it again.", e);
        }
    }

    /// <summary>The last complete checkpoint, or null when the folder has none.</summary>
    public static CheckpointState? Load(RunFolder run, nn.Module model, SGD optimizer)
    {
        if (!File.Exists(run.CheckpointPointer)) return null;
        try
        {
            var pointer = JsonSerializer.Deserialize<Pointer>(File.ReadAllText(run.CheckpointPointer), Json.Options)!;
            var dir = Path.Combine(run.Path, pointer.Folder);
            var state = JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(Path.Combine(dir, "state.json")), Json.Options)!;
            model.load(Path.Combine(dir, "model.bin"));
            optimizer.load_state_dict(Path.Combine(dir, "optimizer.bin"));
            return state;
        }
        catch (Exception e) when (e is IOException or JsonException or ArgumentException or InvalidOperationException or NullReferenceException)
        {
            throw new ShatterException($"the checkpoint in {run.Path} is damaged ({e.Message.TrimEnd('.')}); delete the folder's checkpoint.json to start the run afresh.", e);
        }
    }
}
