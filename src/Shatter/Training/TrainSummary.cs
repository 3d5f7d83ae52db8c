using System.Text.Json.Serialization;

namespace Shatter.Training;

/// <summary>
/// summary.json of a run. Time to fit is counted in optimisation steps (and epochs) until the
/// whole-training-set accuracy first reaches the fit target; null when it never did.
/// <see cref="WallSeconds"/> is the epoch loop, evaluations included; throughput is training samples
/// processed / WallSeconds.
/// </summary>
public sealed record TrainSummary
{
    public long Parameters { get; init; }
    /// <summary>"regression" for a table (its accuracy fields then hold R² and its losses the MSE of standardized targets); absent for classification.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Task { get; init; }
    public int Epochs { get; init; }
    public long Steps { get; init; }
    public long? StepsToFit { get; init; }
    public int? EpochsToFit { get; init; }
    public bool Fitted => StepsToFit is not null;
    public double FinalTrainAccuracy { get; init; }
    public double FinalTestAccuracy { get; init; }
    public double FinalTrainLoss { get; init; }
    public double FinalTestLoss { get; init; }
    public double BestTestAccuracy { get; init; }
    public int BestTestEpoch { get; init; }
    public double WallSeconds { get; init; }
    public double TrainSamplesPerSecond { get; init; }
    /// <summary>Fraction of training labels that differ from the true ones.</summary>
    public double FractionLabelsChanged { get; init; }
    /// <summary>Fraction of training images changed by the input randomization.</summary>
    public double FractionInputsChanged { get; init; }
    /// <summary>Realized label transition counts [true class][noisy class] of the training set (C×C; its diagonal: the unchanged labels).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long[][]? LabelTransition { get; init; }
    public double LearningRate { get; init; }
    public int TrainSize { get; init; }
    public int TestSize { get; init; }
    public int Threads { get; init; }
    public string Device { get; init; } = "cpu";
    /// <summary>
    /// Why the loop ended: "fit", "epochs", "max-steps", "stalled" (until-fit: training accuracy stopped improving,
    /// see Trainer.StallEpochs) or "diverged" (a non-finite loss; see <see cref="DivergedStep"/>).
    /// </summary>
    public string StopReason { get; init; } = "epochs";
    /// <summary>Epochs after which a plateau cut the learning rate (reduce on plateau; null: never).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int[]? PlateauDropEpochs { get; init; }
    /// <summary>The epoch and step whose training loss was first NaN or infinite; null unless diverged.</summary>
    public int? DivergedEpoch { get; init; }
    public long? DivergedStep { get; init; }
    public bool Diverged => StopReason == "diverged";
    /// <summary>
    /// The fields callbacks added (<see cref="TrainingContext.SummaryFields"/>: the attractor measures of an autoencoder, …),
    /// written as top-level fields of summary.json; on reading, every field this record does not name.
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, System.Text.Json.JsonElement>? Fields { get; init; }
    /// <summary>One sentence for the user when the run ended unfitted for a reason they can act on (diverged, stalled).</summary>
    public string? Notice { get; init; }
    /// <summary>A task's own measures beyond the four scores (<see cref="ITrainingTask.SummaryMeasures"/>: semi-supervised, the labelled part's fit, memorized corrupted labels, pseudo-label accuracy; maze, success, return, gap and episodes to fit); null for the paper's task.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SortedDictionary<string, double>? Measures { get; init; }
}
