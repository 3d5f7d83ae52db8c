using TorchSharp;

namespace Shatter.Training;

/// <summary>
/// The TensorBoard event file of a run folder, written with TorchSharp's
/// <c>torch.utils.tensorboard.SummaryWriter</c>, so <c>tensorboard --logdir results/runs</c> shows a sweep
/// (one TensorBoard run per run folder). Scalars, all against the global optimisation step:
/// <see cref="StepLoss"/> (every step's minibatch loss) and, after every evaluation (epoch 0 included),
/// <see cref="TrainLoss"/>, <see cref="TestLoss"/>, <see cref="TrainAccuracy"/>, <see cref="TestAccuracy"/>,
/// <see cref="LearningRate"/> and <see cref="EpochTag"/>; plus the run's run.json as text. A regression run
/// (beyond the paper) keeps R² in its accuracy columns and the mean squared error in its loss columns: its scores
/// go under <see cref="TrainR2"/> and <see cref="TestR2"/> instead of accuracy/*, and its losses are MSE.
/// <para>
/// Cheap: the step losses of an epoch go in as one batch at the epoch's end, from the losses already
/// copied off the device for steps.csv — nothing happens inside the step loop. TorchSharp's writer
/// opens, appends to and closes the file for every scalar (no fsync).
/// </para>
/// <para>
/// One event per tag and step, across resumes: each process writes its own file (TensorBoard's normal
/// layout); a resumed run's file starts with the history up to its checkpoint, replayed from epochs.csv
/// and steps.csv (already cut back to the checkpoint), and only then are the older files of the folder
/// removed. Steps an interrupted process logged after its last checkpoint are thus dropped and logged
/// again by the resumed process; a kill during the replay leaves the older files, and the next resume
/// replaces them all.
/// </para>
/// </summary>
public sealed class TensorBoardLog
{
    /// <summary>Every TensorBoard event file name starts with this.</summary>
    public const string FilePrefix = "events.out.tfevents.";

    public const string StepLoss = "loss/step", TrainLoss = "loss/train", TestLoss = "loss/test";
    public const string TrainAccuracy = "accuracy/train", TestAccuracy = "accuracy/test";
    public const string TrainR2 = "r2/train", TestR2 = "r2/test";
    public const string LearningRate = "learning_rate", EpochTag = "epoch", RunText = "run";

    readonly TorchSharp.Modules.SummaryWriter writer;
    readonly string[] older;
    readonly string trainScore, testScore;

    TensorBoardLog(string folder, string scoreTag)
    {
        (trainScore, testScore) = ($"{scoreTag}/train", $"{scoreTag}/test");
        older = EventFiles(folder);
        writer = torch.utils.tensorboard.SummaryWriter(folder);
    }

    /// <summary>The event files in <paramref name="folder"/>, oldest first (their names start with the creation time).</summary>
    public static string[] EventFiles(string folder) =>
        Directory.Exists(folder) ? [.. Directory.EnumerateFiles(folder, FilePrefix + "*").Order(StringComparer.Ordinal)] : [];

    /// <summary>A fresh run's log: this process's file, and none left from attempts that never reached a checkpoint.</summary>
    public static TensorBoardLog Start(string folder, string? runJson, string scoreTag = "accuracy")
    {
        var log = new TensorBoardLog(folder, scoreTag);
        log.Text(runJson);
        log.RemoveOlder();
        return log;
    }

    /// <summary>A resumed run's log: this process's file, holding the history up to the checkpoint first.</summary>
    public static TensorBoardLog Resume(string folder, string? runJson, IEnumerable<EpochMetrics> epochs, IEnumerable<(long Step, double Loss)> steps, string scoreTag = "accuracy")
    {
        var log = new TensorBoardLog(folder, scoreTag);
        log.Text(runJson);
        // in the order the live run wrote them: an epoch's steps, then its evaluation
        using var pending = steps.GetEnumerator();
        bool more = pending.MoveNext();
        foreach (var e in epochs)
        {
            for (; more && pending.Current.Step <= e.Step; more = pending.MoveNext()) log.Scalar(StepLoss, pending.Current.Loss, pending.Current.Step);
            log.Epoch(e);
        }
        for (; more; more = pending.MoveNext()) log.Scalar(StepLoss, pending.Current.Loss, pending.Current.Step);
        log.RemoveOlder();
        return log;
    }

    /// <summary>The scalars of one evaluation, at the step it followed.</summary>
    public void Epoch(EpochMetrics m)
    {
        Scalar(TrainLoss, m.TrainLoss, m.Step);
        Scalar(TestLoss, m.TestLoss, m.Step);
        Scalar(trainScore, m.TrainAccuracy, m.Step);
        Scalar(testScore, m.TestAccuracy, m.Step);
        Scalar(LearningRate, m.LearningRate, m.Step);
        Scalar(EpochTag, m.Epoch, m.Step);
    }

    /// <summary>The minibatch losses of steps firstStep, firstStep + 1, ...</summary>
    public void Steps(long firstStep, ReadOnlySpan<float> losses)
    {
        for (int i = 0; i < losses.Length; i++) Scalar(StepLoss, losses[i], firstStep + i);
    }

    // TensorBoard's scalars are float32 and its steps int64, but TorchSharp's add_scalar takes an int step:
    // steps past 2^31 - 1 (nothing the paper runs comes near) are not logged rather than stopping the run.
    void Scalar(string tag, double value, long step)
    {
        if (step <= int.MaxValue) writer.add_scalar(tag, (float)value, (int)step);
    }

    void Text(string? runJson)
    {
        // indented: TensorBoard's text tab renders markdown, and an indented block shows the JSON as written
        if (runJson is not null) writer.add_text(RunText, string.Join("\n", runJson.Split('\n').Select(l => "    " + l.TrimEnd('\r'))), 0);
    }

    void RemoveOlder()
    {
        foreach (var file in older) File.Delete(file);
    }
}
