using static TorchSharp.torch;

namespace Shatter.Training.Tasks;

/// <summary>
/// The registry of tasks: which task a configuration trains. A new task is one file (its <see cref="ITrainingTask"/>)
/// and one line here, placed before the tasks it must take precedence over (the first whose predicate holds wins).
/// </summary>
public static class TrainingTasks
{
    /// <summary>One task: its name, the configurations it trains and how to make it (its data on the device).</summary>
    public sealed record Entry(string Name, Func<TrainConfig, bool> Trains, Func<TrainConfig, Device, ITrainingTask> Create);

    public static readonly IReadOnlyList<Entry> All =
    [
        new("reconstruction", c => Models.ModelRegistry.IsAutoencoder(c.Model), (c, device) => new AutoencoderTask(TrainingData.Prepare(c, device), c)),
        new("maze", c => c.Dataset == MazeTask.DatasetName, (c, device) => new MazeTask(c, device)),
        new("semi-supervised", c => c.Labelled > 0, (c, device) => new SemiSupervisedTask(c, device)),
        new("regression", c => Data.TabularDataset.IsTabular(c.Dataset) && !TrainingData.IsText(c), (c, device) => new RegressionTask(TrainingData.Prepare(c, device), c)),
        new("classification", _ => true, (c, device) => new ClassificationTask(TrainingData.Prepare(c, device), c)),
    ];

    /// <summary>The task of <paramref name="config"/>, its data prepared on <paramref name="device"/>.</summary>
    public static ITrainingTask Create(TrainConfig config, Device device) => All.First(e => e.Trains(config)).Create(config, device);
}
