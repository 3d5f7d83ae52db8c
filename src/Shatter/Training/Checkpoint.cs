using System.Text.Json;
using static TorchSharp.torch;

namespace Shatter.Training;

/// <summary>
/// The state needed to continue a run exactly: model weights, optimizer momentum buffers, the random
/// generators of the current epoch and the trainer's counters. Each checkpoint is written into its own folder
/// and synced to disk (files, folder, run folder); only then is checkpoint.json atomically and durably pointed at
/// it, and only after that are older ones removed, so a kill or a power loss at any moment leaves a complete
/// checkpoint that checkpoint.json names. Its checksums.json holds the SHA-256 of every other file, verified before
/// anything is read back, so a damaged checkpoint is refused instead of resumed.
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
    /// <summary>Best whole-training-set accuracy so far, its epoch and the learning rate then (stall detection).</summary>
    public double BestTrainAccuracy { get; init; } = -1;
    public int BestTrainEpoch { get; init; }
    public double BestTrainLearningRate { get; init; }
    /// <summary>
    /// Batches of epoch <see cref="Epoch"/> + 1 already taken (0: the checkpoint is at an epoch's end). A --max-steps
    /// stop checkpoints mid-epoch; the counters and per-example record are then those of epoch <see cref="Epoch"/>'s end.
    /// </summary>
    public int BatchesIntoEpoch { get; init; }
    /// <summary>Reduce on plateau: rate cuts taken, the epoch of the last, and the epochs of all (Trainer.PlateauEpochsUntilFit).</summary>
    public int PlateauDrops { get; init; }
    public int LastPlateauEpoch { get; init; }
    public int[] PlateauDropEpochs { get; init; } = [];
    /// <summary>Epochs of the run so far whose whole-training-set pass the until-fit screen skipped (profile.json's screened_epochs).</summary>
    public int ScreenedEpochs { get; init; }
    /// <summary>
    /// When epoch <see cref="Epoch"/> was screened (its row and <see cref="FirstFitEpoch"/> hold its running record): the
    /// per-example record before it, from which a run that ends there reports its model's own evaluation; null otherwise.
    /// </summary>
    public int[]? FirstFitBeforeScreen { get; init; }
    /// <summary>
    /// The state of a task that is not a <see cref="Tasks.SupervisedTask"/> (those keep their record in the fields above),
    /// as the task wrote it (<see cref="ITrainingTask.SaveTo"/>); absent when null.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public System.Text.Json.Nodes.JsonNode? TaskState { get; init; }
    /// <summary>
    /// A checkpoint inside an epoch: the losses of that epoch's first <see cref="BatchesIntoEpoch"/> steps, and (until-fit
    /// classification) whether each image of those steps' batches was right in its forward pass, in the epoch's order —
    /// what the resumed epoch's screen needs to record the uninterrupted run's running row. Null at an epoch's end.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public float[]? EpochLosses { get; init; }
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public bool[]? RunningCorrect { get; init; }
}

public static class Checkpoint
{
    sealed record Pointer(string Folder);

    /// <summary>The file of a checkpoint folder that holds the SHA-256 (hex) of each of its other files.</summary>
    public const string ChecksumsFile = "checksums.json";

    /// <param name="generators">A checkpoint inside an epoch: the epoch's generators by name (see <see cref="EpochRandom"/>), saved as NAME-generator.bin; null at an epoch's end, where the next epoch reseeds them.</param>
    public static void Save(RunFolder run, CheckpointState state, nn.Module model, Sgd optimizer, IReadOnlyDictionary<string, Generator>? generators)
    {
        var name = $"checkpoint-{state.Step:D9}";
        if (File.Exists(run.CheckpointPointer) && File.ReadAllText(run.CheckpointPointer).Contains($"\"{name}\"", StringComparison.Ordinal))
            name += "-again"; // never overwrite the checkpoint in force
        var dir = Path.Combine(run.Path, name);
        try
        {
            Write(run, dir, name, state, model, optimizer, generators);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a full or read-only disk: no half-written checkpoint stays (the one in force is still named and whole)
            try
            {
                if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // left for the next checkpoint to remove; the error below says what to do
            }
            throw RunFolder.CannotWrite(dir, e);
        }
        foreach (var old in Directory.EnumerateDirectories(run.Path, "checkpoint-*"))
            if (Path.GetFileName(old) != name) Directory.Delete(old, recursive: true);
    }

    static void Write(RunFolder run, string dir, string name, CheckpointState state, nn.Module model, Sgd optimizer, IReadOnlyDictionary<string, Generator>? generators)
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        model.save(Path.Combine(dir, "model.bin"));
        optimizer.Save(Path.Combine(dir, "optimizer.bin"));
        foreach (var (key, generator) in generators ?? new Dictionary<string, Generator>())
            SaveGenerator(generator, Path.Combine(dir, GeneratorFile(key)));
        File.WriteAllText(Path.Combine(dir, "state.json"), JsonSerializer.Serialize(state, Json.Options));
        var sums = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(dir)) sums[Path.GetFileName(file)] = Sha256(file);
        File.WriteAllText(Path.Combine(dir, ChecksumsFile), JsonSerializer.Serialize(sums, Json.Options));
        Durable.SyncTree(dir);
        Durable.Sync(run.Path); // the new folder's entry
        AtomicFile.WriteAllText(run.CheckpointPointer, JsonSerializer.Serialize(new Pointer(name), Json.Options)); // durable on return
    }

    static string Sha256(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    /// <summary>
    /// Checks every file of the checkpoint folder against its checksums.json (a checkpoint written before checksums
    /// existed has none and is taken as it is); a mismatch or a missing file is a one-sentence error naming the file.
    /// </summary>
    static void Verify(RunFolder run, string dir)
    {
        var list = Path.Combine(dir, ChecksumsFile);
        if (!File.Exists(list)) return;
        Dictionary<string, string>? sums;
        try
        {
            sums = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(list), Json.Options);
        }
        catch (JsonException e)
        {
            throw Damaged(run, list, "it is not a list of checksums", e);
        }
        foreach (var (name, sum) in sums ?? [])
        {
            var file = Path.Combine(dir, name);
            if (!File.Exists(file)) throw Damaged(run, file, "it is missing");
            if (!string.Equals(Sha256(file), sum, StringComparison.OrdinalIgnoreCase)) throw Damaged(run, file, "its content no longer matches the checksum written with it");
        }
    }

    static ShatterException Damaged(RunFolder run, string file, string why, Exception? inner = null) =>
        new($"the checkpoint file {file} is damaged ({why}); delete {run.CheckpointPointer} to train the run afresh, or restore the file.", inner);

    static string GeneratorFile(string name) => $"{name}-generator.bin";

    /// <summary>Restores the current epoch's generators saved with a checkpoint inside it (each by its name).</summary>
    public static void LoadGenerators(RunFolder run, IReadOnlyDictionary<string, Generator> generators)
    {
        var dir = Path.Combine(run.Path, JsonSerializer.Deserialize<Pointer>(File.ReadAllText(run.CheckpointPointer), Json.Options)!.Folder);
        foreach (var (key, generator) in generators)
        {
            var file = Path.Combine(dir, GeneratorFile(key));
            if (!File.Exists(file))
                throw new ShatterException($"the checkpoint in {dir} stopped inside an epoch but lacks {GeneratorFile(key)}; delete {run.CheckpointPointer} to train the run afresh.");
            LoadGenerator(generator, file);
        }
    }

    static void SaveGenerator(Generator g, string file)
    {
        using var state = g.get_state();
        File.WriteAllBytes(file, state.data<byte>().ToArray());
    }

    static void LoadGenerator(Generator g, string file)
    {
        using var state = tensor(File.ReadAllBytes(file), dtype: ScalarType.Byte);
        g.set_state(state);
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
    public static CheckpointState? Load(RunFolder run, nn.Module model, Sgd optimizer)
    {
        if (!File.Exists(run.CheckpointPointer)) return null;
        try
        {
            var pointer = JsonSerializer.Deserialize<Pointer>(File.ReadAllText(run.CheckpointPointer), Json.Options)!;
            var dir = Path.Combine(run.Path, pointer.Folder);
            Verify(run, dir);
            var state = JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(Path.Combine(dir, "state.json")), Json.Options)!;
            model.load(Path.Combine(dir, "model.bin"));
            optimizer.Load(Path.Combine(dir, "optimizer.bin"));
            return state;
        }
        catch (Exception e) when (e is IOException or JsonException or ArgumentException or InvalidOperationException or NullReferenceException)
        {
            throw new ShatterException($"the checkpoint in {run.Path} is damaged ({e.Message.TrimEnd('.')}); delete the folder's checkpoint.json to start the run afresh.", e);
        }
    }
}
