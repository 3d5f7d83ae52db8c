using static TorchSharp.torch;

namespace Shatter.Training.Tasks;

/// <summary>
/// The registry of tasks: which task a configuration trains. A new task is one file (its <see cref="ITrainingTask"/>)
/// and one line here, placed before the tasks it must take precedence over (the first whose predicate holds wins).
/// </summary>
public static class TrainingTasks
{
    /// <summary>One task: its name, the configurations it trains, what its score columns hold and how to make it (its data on the device).</summary>
    public sealed record Entry(string Name, Func<TrainConfig, bool> Trains, TaskScore Score, Func<TrainConfig, Device, ITrainingTask> Create);

    public static readonly IReadOnlyList<Entry> All =
    [
        new("reconstruction", c => Models.ModelRegistry.IsAutoencoder(c.Model), TaskScore.Reconstruction, (c, device) => new AutoencoderTask(TrainingData.Prepare(c, device), c)),
        new("maze", c => c.Dataset == MazeTask.DatasetName, TaskScore.SuccessRate, (c, device) => new MazeTask(c, device)),
        new("semi-supervised", c => c.Labelled > 0, TaskScore.Accuracy, (c, device) => new SemiSupervisedTask(c, device)),
        new("regression", c => Data.TabularDataset.IsTabular(c.Dataset) && !TrainingData.IsText(c), TaskScore.RSquared, (c, device) => new RegressionTask(TrainingData.Prepare(c, device), c)),
        new("classification", _ => true, TaskScore.Accuracy, (c, device) => new ClassificationTask(TrainingData.Prepare(c, device), c)),
    ];

    /// <summary>The task of <paramref name="config"/>, its data prepared on <paramref name="device"/>.</summary>
    public static ITrainingTask Create(TrainConfig config, Device device) => Of(config).Create(config, device);

    /// <summary>The registry's entry for <paramref name="config"/> (the first whose predicate holds); nothing is loaded.</summary>
    public static Entry Of(TrainConfig config) => All.First(e => e.Trains(config));

    /// <summary>
    /// The score of a finished run from summary.json's "task" (null: the paper's classification), so reports and progress
    /// lines name R², success rate, … where a run's score columns hold them; unknown names read as accuracy.
    /// </summary>
    public static TaskScore ScoreOf(string? task) => All.FirstOrDefault(e => e.Name == (task ?? "classification"))?.Score ?? TaskScore.Accuracy;
}
