using static TorchSharp.torch;

namespace Shatter.Training;

/// <summary>
/// What the trainer trains: the unit it runs. A task owns its data, what a batch is, the loss of a batch, what an
/// evaluation measures (the four numbers of an epochs.csv row), what "fitted" means, the per-example record where it
/// has examples, and the files that describe them. The trainer owns everything else — the model's initialisation seed,
/// the optimizer and its rate, the epoch and step loops, --max-steps, checkpoints and resumption, the stopping rules, the
/// run folder's CSVs, TensorBoard and summary — and knows a task only through this interface. Tasks are made by
/// <see cref="Tasks.TrainingTasks"/> (or passed in <see cref="TrainerOptions.Task"/>).
/// <para>
/// Contract (what makes a run reproducible and resumable bit for bit, whatever the task):
/// the trainer calls <see cref="CreateModel"/> once, then for every epoch e = 1, 2, … <see cref="BeginEpoch"/>, then
/// <see cref="Step"/> for indices 0 … <see cref="StepsPerEpoch"/> − 1 in order (a resumed run starts at the index where
/// its checkpoint stopped), then <see cref="Evaluate"/>. Every random draw comes from the <see cref="EpochRandom"/> of the
/// epoch (seeded by the run's seed, the name and the epoch) or from libtorch's default generator (which the trainer seeds
/// per epoch: dropout); a task keeps no other randomness. A task's state that outlives an epoch (a per-example record)
/// goes into checkpoints through <see cref="SaveTo"/> and comes back through <see cref="RestoreFrom"/>.
/// </para>
/// </summary>
public interface ITrainingTask : IDisposable
{
    /// <summary>The task's name: summary.json's "task" (left out for "classification", the paper's), the registry's key.</summary>
    string Name { get; }

    /// <summary>What the score columns (epochs.csv's train_accuracy and test_accuracy) hold: accuracy, R², …</summary>
    TaskScore Score { get; }

    /// <summary>run.json's "resolved" entries that describe the task's data (crop, input shape, classes, set sizes, …), in order.</summary>
    IReadOnlyList<KeyValuePair<string, object?>> Resolved { get; }

    /// <summary>What summary.json says of the data: set sizes, the fractions of labels and inputs changed, the label transition.</summary>
    TaskSummary Summary { get; }

    /// <summary>
    /// The model to train, built once, after the trainer seeded libtorch's generator with (seed, "init"): its initial
    /// weights are drawn here. The trainer moves it to the device, trains and disposes it.
    /// </summary>
    nn.Module<Tensor, Tensor> CreateModel();

    /// <summary>Optimisation steps in every epoch (the same each epoch).</summary>
    int StepsPerEpoch { get; }

    /// <summary>
    /// Starts epoch <paramref name="epoch"/> (1-based): draws what the whole epoch needs (an order of the examples) from
    /// <see cref="EpochRandom.Once"/> and takes its step-by-step generators from <see cref="EpochRandom.Stream"/>.
    /// Tensors made here live until the epoch ends (the trainer holds a dispose scope per epoch).
    /// </summary>
    void BeginEpoch(int epoch, EpochRandom random);

    /// <summary>
    /// Step <paramref name="index"/> of the epoch, the model in training mode: makes the batch (a slice of the epoch's
    /// order, a rollout, a labelled and an unlabelled batch, …), runs the forward pass and returns its mean loss, a
    /// scalar with its graph; the trainer runs backward and the optimizer step. Called inside the step's dispose scope;
    /// what the task keeps across steps (a running record) it moves out of it.
    /// </summary>
    TrainStep Step(nn.Module<Tensor, Tensor> model, int index);

    /// <summary>
    /// The scores of the model now (epoch 0: at initialisation; then after every epoch, and once at a --max-steps stop
    /// inside an epoch). Updates the per-example record after a complete epoch. With <see cref="Evaluation.MayUseRunning"/>
    /// a task may record the epoch's running numbers instead of measuring the training set (<see cref="Scores.Running"/>),
    /// where that provably cannot hide a fit. Call <see cref="Evaluation.Lap"/> after the training set and after the test set.
    /// </summary>
    Scores Evaluate(nn.Module<Tensor, Tensor> model, Evaluation evaluation);

    /// <summary>
    /// When the run ends on a row whose training numbers are running ones: the model's own scores (the record updated as
    /// if that epoch had been measured), for the summary and examples.csv only — rows and checkpoints keep the running
    /// row. Null when the last row was measured.
    /// </summary>
    Scores? Remeasure(nn.Module<Tensor, Tensor> model, Evaluation evaluation);

    /// <summary>Whether a row counts as fitted (its training score reached the configuration's target).</summary>
    bool Fitted(EpochMetrics row);

    /// <summary>
    /// Measures of the task's own that summary.json carries under "measures" (names in snake_case), from the last row and
    /// the steps to fit (a maze run's success and episodes to fit) or from the task's own last evaluation (the semi-supervised
    /// memorized share); null (the default) for none. The one way a task adds to the summary; callbacks add theirs through
    /// <see cref="TrainingContext.SummaryFields"/>.
    /// </summary>
    IReadOnlyDictionary<string, double>? SummaryMeasures(EpochMetrics last, long? stepsToFit) => null;

    /// <summary>The task's part of a checkpoint (its per-example record), as of the last complete epoch.</summary>
    CheckpointState SaveTo(CheckpointState state);

    /// <summary>Takes back what <see cref="SaveTo"/> wrote (and what checkpoints of earlier versions wrote).</summary>
    void RestoreFrom(CheckpointState state);

    /// <summary>Files that describe the task's data, written when the run starts (subset-train.csv, …).</summary>
    void WriteSetup(RunFolder run);

    /// <summary>Files of the task's results, written when the run ends (examples.csv, label-transition.csv, …).</summary>
    void WriteResults(RunFolder run);
}
