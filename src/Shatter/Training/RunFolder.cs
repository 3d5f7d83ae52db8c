using System.Globalization;
using System.Text;

namespace Shatter.Training;

/// <summary>
/// The files of one run folder: run.json, epochs.csv, steps.csv, examples.csv, summary.json, the
/// profile.json (where the time went), the checkpoint, the initial and final weights (weights-initial.pt, weights-final.pt) and the TensorBoard
/// event file (the same per-epoch and per-step numbers, see <see cref="TensorBoardLog"/>). CSVs are appended
/// once per epoch and flushed; on resume they are cut back to the checkpoint so an interrupted epoch leaves no
/// rows behind.
/// </summary>
public sealed class RunFolder(string path)
{
    public const string EpochsHeader = "epoch,step,lr,train_loss,train_accuracy,test_loss,test_accuracy,seconds";
    public const string StepsHeader = "step,epoch,lr,loss";
    public const string ExamplesHeader = "index,label_changed,input_changed,first_fit_epoch";
    public const string SubsetHeader = "index,source_index";

    public string Path { get; } = path;
    public string RunJson => System.IO.Path.Combine(Path, "run.json");
    public string EpochsCsv => System.IO.Path.Combine(Path, "epochs.csv");
    public string StepsCsv => System.IO.Path.Combine(Path, "steps.csv");
    public string ExamplesCsv => System.IO.Path.Combine(Path, "examples.csv");
    public string SummaryJson => System.IO.Path.Combine(Path, "summary.json");
    /// <summary>The realized label transition counts: row = true class, column = noisy class.</summary>
    public string LabelTransitionCsv => System.IO.Path.Combine(Path, "label-transition.csv");
    public string InitialWeights => System.IO.Path.Combine(Path, RunWeights.InitialFile);
    public string FinalWeights => System.IO.Path.Combine(Path, RunWeights.FinalFile);
    public string CheckpointPointer => System.IO.Path.Combine(Path, "checkpoint.json");
    /// <summary>
    /// The examples the run trained and was tested on: for each (index = examples.csv's index for the training set), its
    /// row in the dataset's official split (image number in the training or test file; a table's row, header excluded).
    /// </summary>
    public string SubsetTrainCsv => System.IO.Path.Combine(Path, "subset-train.csv");
    public string SubsetTestCsv => System.IO.Path.Combine(Path, "subset-test.csv");
    /// <summary>Where the run's time went (<see cref="TrainProfile"/>); written with summary.json.</summary>
    public string ProfileJson => System.IO.Path.Combine(Path, "profile.json");

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Null until <see cref="StartCsvs"/> or <see cref="TruncateCsvs"/> begins this process's logs.</summary>
    TensorBoardLog? tensorBoard;

    /// <summary>Creates the folder; a file in its place, a read-only or a full disk is one sentence naming it.</summary>
    public void Create()
    {
        if (File.Exists(Path))
            throw new ShatterException($"{Path} is a file, not a folder; choose another --out folder for the run's files, or move the file away.");
        Writing(Path, () => Directory.CreateDirectory(Path));
    }

    /// <summary>
    /// Takes the folder for this process (an exclusive lock on .lock, released when disposed or when the
    /// process dies), so two runs never write into one folder.
    /// </summary>
    public IDisposable Lock()
    {
        try
        {
            return new FileStream(System.IO.Path.Combine(Path, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e.HResult == WouldBlock)
        {
            throw new ShatterException($"another shatter process is training in {Path}; wait for it to finish, or choose another --out folder.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotWrite(Path, e);
        }
    }

    /// <summary>EWOULDBLOCK: .NET's HResult for a file another process holds locked (flock), on Linux and macOS.</summary>
    const int WouldBlock = 11;

    /// <summary>
    /// The one sentence for a run folder that cannot be written (read-only, full, no permission): the disk's own error,
    /// the path and the fix. The trainer's writers report through it, so such an error ends a command with exit code 2,
    /// not as an internal failure.
    /// </summary>
    public static ShatterException CannotWrite(string path, Exception e) =>
        new($"cannot write {path} ({e.Message.TrimEnd('.')}); free space on its disk or choose an --out folder you can write to (an interrupted run continues with --resume).", e);

    /// <summary>Runs a write into the folder, mapping a disk's errors to <see cref="CannotWrite"/>.</summary>
    public static void Writing(string path, Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotWrite(path, e);
        }
    }

    /// <param name="scoreTag">The TensorBoard tag stem of the score columns (<see cref="TaskScore.Tag"/>: accuracy/*, or r2/* for a regression's R²).</param>
    public void StartCsvs(string scoreTag = "accuracy")
    {
        AtomicFile.WriteAllText(EpochsCsv, EpochsHeader + "\n");
        AtomicFile.WriteAllText(StepsCsv, StepsHeader + "\n");
        Writing(Path, () => tensorBoard = TensorBoardLog.Start(Path, ReadRunJson(), scoreTag));
    }

    /// <summary>Keeps the header and the rows up to the checkpoint (epoch ≤ <paramref name="epoch"/>, step ≤ <paramref name="step"/>).</summary>
    public void TruncateCsvs(int epoch, long step, string scoreTag = "accuracy")
    {
        Keep(EpochsCsv, EpochsHeader, cols => int.Parse(cols[0], Inv) <= epoch);
        Keep(StepsCsv, StepsHeader, cols => long.Parse(cols[0], Inv) <= step);
        Writing(Path, () => tensorBoard = TensorBoardLog.Resume(Path, ReadRunJson(), ReadEpochs(EpochsCsv), ReadStepLosses(StepsCsv), scoreTag));
    }

    string? ReadRunJson() => File.Exists(RunJson) ? File.ReadAllText(RunJson) : null;

    static void Keep(string file, string header, Func<string[], bool> keep)
    {
        var rows = File.Exists(file) ? File.ReadAllLines(file).Skip(1).Where(l => l.Length > 0 && l.Split(',') is var c && c.Length >= 2 && keep(c)) : [];
        AtomicFile.WriteAllText(file, string.Join("\n", rows.Prepend(header)) + "\n");
    }

    public void AppendEpoch(EpochMetrics m)
    {
        Writing(EpochsCsv, () => File.AppendAllText(EpochsCsv, string.Create(Inv,
            $"{m.Epoch},{m.Step},{m.LearningRate:R},{m.TrainLoss:R},{m.TrainAccuracy:R},{m.TestLoss:R},{m.TestAccuracy:R},{m.Seconds:F3}\n")));
        Writing(Path, () => tensorBoard?.Epoch(m));
    }

    /// <summary>Appends one row per step of an epoch: steps firstStep.., the learning rate each used and its loss.</summary>
    public void AppendSteps(long firstStep, int epoch, IReadOnlyList<double> rates, ReadOnlySpan<float> losses)
    {
        var sb = new StringBuilder(losses.Length * 32);
        for (int i = 0; i < losses.Length; i++)
            sb.Append(Inv, $"{firstStep + i},{epoch},{rates[i]:R},{losses[i]:R}\n");
        Writing(StepsCsv, () => File.AppendAllText(StepsCsv, sb.ToString()));
        var copy = losses.ToArray();
        Writing(Path, () => tensorBoard?.Steps(firstStep, copy));
    }

    public void WriteExamples(ReadOnlySpan<bool> labelChanged, ReadOnlySpan<bool> inputChanged, ReadOnlySpan<int> firstFit)
    {
        var sb = new StringBuilder(ExamplesHeader.Length + firstFit.Length * 16).Append(ExamplesHeader).Append('\n');
        for (int i = 0; i < firstFit.Length; i++)
            sb.Append(Inv, $"{i},{(labelChanged[i] ? 1 : 0)},{(inputChanged[i] ? 1 : 0)},{firstFit[i]}\n");
        AtomicFile.WriteAllText(ExamplesCsv, sb.ToString());
    }

    /// <summary>subset-train.csv and subset-test.csv: "index,source_index", one row per example of each set.</summary>
    public void WriteSubsets(IReadOnlyList<long> train, IReadOnlyList<long> test)
    {
        foreach (var (file, rows) in new[] { (SubsetTrainCsv, train), (SubsetTestCsv, test) })
        {
            var sb = new StringBuilder(SubsetHeader.Length + rows.Count * 12).Append(SubsetHeader).Append('\n');
            for (int i = 0; i < rows.Count; i++) sb.Append(Inv, $"{i},{rows[i]}\n");
            AtomicFile.WriteAllText(file, sb.ToString());
        }
    }

    /// <summary>label-transition.csv: header "true,0,1,...,C-1", then per true class its counts per noisy class.</summary>
    public void WriteLabelTransition(long[,] counts)
    {
        int c = counts.GetLength(0);
        var sb = new StringBuilder("true");
        for (int j = 0; j < c; j++) sb.Append(Inv, $",{j}");
        sb.Append('\n');
        for (int i = 0; i < c; i++)
        {
            sb.Append(Inv, $"{i}");
            for (int j = 0; j < c; j++) sb.Append(Inv, $",{counts[i, j]}");
            sb.Append('\n');
        }
        AtomicFile.WriteAllText(LabelTransitionCsv, sb.ToString());
    }

    /// <summary>Reads epochs.csv back (for tests, resume checks and the results store).</summary>
    public static IReadOnlyList<EpochMetrics> ReadEpochs(string file) => File.ReadAllLines(file).Skip(1).Where(l => l.Length > 0).Select(l =>
    {
        var c = l.Split(',');
        return new EpochMetrics(int.Parse(c[0], Inv), long.Parse(c[1], Inv), double.Parse(c[2], Inv), double.Parse(c[3], Inv),
            double.Parse(c[4], Inv), double.Parse(c[5], Inv), double.Parse(c[6], Inv), double.Parse(c[7], Inv));
    }).ToList();

    /// <summary>Reads the (step, loss) columns of steps.csv back; a loss that is not a number (a diverged step) reads as NaN.</summary>
    public static IReadOnlyList<(long Step, double Loss)> ReadStepLosses(string file) => File.ReadAllLines(file).Skip(1).Where(l => l.Length > 0).Select(l =>
    {
        var c = l.Split(',');
        return (long.Parse(c[0], Inv), c.Length > 3 && double.TryParse(c[3], NumberStyles.Float, Inv, out var loss) ? loss : double.NaN);
    }).ToList();
}
