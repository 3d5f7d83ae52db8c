using System.Text.Json;
using static TorchSharp.torch;

namespace Shatter.Training;

/// <summary>What a callback sees of a run: its configuration, folder, task, model and device, and the wall clock.</summary>
public sealed class TrainingContext
{
    readonly Action<Action> offTheClock;

    internal TrainingContext(TrainConfig config, RunFolder folder, ITrainingTask task, nn.Module<Tensor, Tensor> model, Device device, int? resumedEpoch, Action<Action> offTheClock)
    {
        (Config, Folder, Task, Model, Device, ResumedEpoch) = (config, folder, task, model, device, resumedEpoch);
        this.offTheClock = offTheClock;
    }

    /// <summary>The run's configuration, resolved (its learning rate filled in).</summary>
    public TrainConfig Config { get; }
    public RunFolder Folder { get; }
    public ITrainingTask Task { get; }
    public nn.Module<Tensor, Tensor> Model { get; }
    public Device Device { get; }
    /// <summary>The epoch of the checkpoint this process resumed from; null for a fresh run.</summary>
    public int? ResumedEpoch { get; }

    /// <summary>
    /// Fields a callback adds to summary.json (and so to the results store and its exports) by the end of the run, in
    /// <see cref="ITrainCallback.OnRunEnd"/>: snake_case keys beside the trainer's own, which they must not repeat.
    /// </summary>
    public IDictionary<string, JsonElement> SummaryFields { get; } = new Dictionary<string, JsonElement>(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="work"/> with the run's wall clock stopped (wall_seconds is training time), charged to profile.json's "finish" phase.</summary>
    public void OffTheClock(Action work) => offTheClock(work);
}
