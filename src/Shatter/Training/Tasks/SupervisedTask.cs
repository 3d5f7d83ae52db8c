using Shatter.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Training.Tasks;

/// <summary>
/// A task over labelled examples (<see cref="TrainingData"/>: images or a table's rows): each epoch visits the training
/// set in a seeded order, batch by batch (randomly cropped and flipped when asked); an evaluation measures the loss and
/// the score over the whole training set (its possibly corrupted targets) and the test set, in eval mode; each training
/// example's record is the first epoch from which the model has got it right without a break (examples.csv). A subclass
/// says what the loss, "right" and the score are.
/// </summary>
public abstract class SupervisedTask : ITrainingTask
{
    protected SupervisedTask(TrainingData data, TrainConfig config)
    {
        (Data, Config) = (data, config);
        firstFit = Enumerable.Repeat(-1, data.TrainCount).ToArray();
    }

    /// <summary>The examples (the memorization probe reads them too).</summary>
    public TrainingData Data { get; }
    protected TrainConfig Config { get; }

    /// <summary>Per training example: the first epoch from which it has stayed right, −1 while it is wrong.</summary>
    private protected int[] firstFit;
    /// <summary>The record before the last complete epoch when that epoch's row is running (see <see cref="Remeasure"/>); else null.</summary>
    private protected int[]? firstFitBefore;
    /// <summary>The epoch's order of the training examples (on the device) and its crop and flip generator.</summary>
    private protected Tensor? order;
    Generator? augment;

    public abstract string Name { get; }
    public abstract TaskScore Score { get; }

    /// <summary>Loss of outputs (B, classes or 1) against targets (B), mean or summed.</summary>
    protected abstract Tensor Loss(Tensor output, Tensor target, nn.Reduction reduction);

    /// <summary>bool (B): the examples the model gets right.</summary>
    protected abstract Tensor Correct(Tensor output, Tensor target);

    /// <summary>The set's score from its summed loss and count of right examples.</summary>
    protected abstract double SetScore(double lossSum, long correct, Tensor target);

    public IReadOnlyList<KeyValuePair<string, object?>> Resolved => Data.Text is { } text
        ? [new("max_tokens", text.MaxTokens), new("vocabulary", text.Vocabulary),
           new("classes", Data.Classes), new("train_size", Data.TrainCount), new("test_size", Data.TestCount)]
        : [
            new("crop", Data.Crop), new("input_shape", new[] { Data.InputShape.Channels, Data.InputShape.Height, Data.InputShape.Width }),
            new("classes", Data.Classes), new("train_size", Data.TrainCount), new("test_size", Data.TestCount),
        ];

    public TaskSummary Summary => new(Data.TrainCount, Data.TestCount, Data.FractionLabelsChanged, Data.FractionInputsChanged, Jagged(Data.LabelTransition));

    static long[][] Jagged(long[,] m) =>
        [.. Enumerable.Range(0, m.GetLength(0)).Select(i => Enumerable.Range(0, m.GetLength(1)).Select(j => m[i, j]).ToArray())];

    public nn.Module<Tensor, Tensor> CreateModel() => Data.Text is { } text // token ids: a text model
        ? ModelRegistry.CreateText(Config.Model, text, Data.Classes, new ModelOptions(Config.Dropout, TorchScriptSha256: Config.ModelSha256))
        : ModelRegistry.Create(Config.Model, Data.InputShape, Data.Classes, new ModelOptions(Config.Dropout, Regression: Data.Regression, TorchScriptSha256: Config.ModelSha256));

    public int StepsPerEpoch => (Data.TrainCount + Config.BatchSize - 1) / Config.BatchSize;

    public virtual void BeginEpoch(int epoch, EpochRandom random)
    {
        augment = random.Stream("augment"); // always taken, so every checkpoint inside an epoch holds its state
        order = randperm(Data.TrainCount, generator: random.Once("order")).to(Data.TrainY.device);
    }

    public TrainStep Step(nn.Module<Tensor, Tensor> model, int index)
    {
        int n = Data.TrainCount, batch = Config.BatchSize, start = index * batch;
        var idx = order!.narrow(0, start, Math.Min(batch, n - start));
        var x = Data.TrainX.index_select(0, idx);
        if (Config.AugmentCrop || Config.AugmentFlip)
            x = Augmentation.Apply(x, Data.InputShape.Height, Config.AugmentCrop, Config.AugmentFlip, whiten: Config.AugmentCrop && Config.Whiten, augment!);
        var y = Data.TrainY.index_select(0, idx);
        var output = model.call(x);
        var loss = Loss(output, y, nn.Reduction.Mean);
        Forwarded(output, y);
        return new TrainStep(loss, idx.shape[0]);
    }

    /// <summary>After each step's forward pass (in the epoch's order): what a task keeps of it (outputs (B, ·), targets (B)).</summary>
    protected virtual void Forwarded(Tensor output, Tensor target) { }

    /// <summary>The running training numbers of a complete epoch, when they may stand for a measurement (null: measure).</summary>
    protected virtual (double Loss, double Score, bool[] Correct)? Running(nn.Module<Tensor, Tensor> model, Evaluation evaluation) => null;

    public Scores Evaluate(nn.Module<Tensor, Tensor> model, Evaluation evaluation)
    {
        var running = evaluation.Complete && evaluation.MayUseRunning ? Running(model, evaluation) : null;
        // the record before a running row, to redo that epoch's update with a measurement should the run end there
        int[]? before = running is not null ? (int[])firstFit.Clone() : null;
        // a --max-steps stop inside an epoch measures the model, and leaves the record as the last complete epoch left it
        var record = evaluation.Complete ? firstFit : (int[])firstFit.Clone();
        var scores = Measure(model, evaluation, record, running);
        firstFitBefore = evaluation.Complete ? before : null;
        return scores;
    }

    public Scores? Remeasure(nn.Module<Tensor, Tensor> model, Evaluation evaluation)
    {
        if (firstFitBefore is null) return null;
        Array.Copy(firstFitBefore, firstFit, firstFit.Length);
        firstFitBefore = null;
        return Measure(model, evaluation, firstFit, null);
    }

    /// <summary>
    /// Loss and score over the whole training set (or the running numbers given) and the test set, in eval mode; updates
    /// <paramref name="record"/>: each example's first epoch from which it stays right.
    /// </summary>
    Scores Measure(nn.Module<Tensor, Tensor> model, Evaluation evaluation, int[] record, (double Loss, double Score, bool[] Correct)? running)
    {
        model.eval();
        var (trainLoss, trainScore, correct) = running ?? MeasureSet(model, Data.TrainEvalX, Data.TrainY);
        evaluation.Lap(TrainPhase.EvaluateTrain);
        var (testLoss, testScore, _) = MeasureSet(model, Data.TestX, Data.TestY);
        evaluation.Lap(TrainPhase.EvaluateTest);
        for (int i = 0; i < record.Length; i++)
            record[i] = correct[i] ? (record[i] < 0 ? evaluation.Epoch : record[i]) : -1;
        return new Scores(trainLoss, trainScore, testLoss, testScore, running is not null);
    }

    /// <summary>Summed loss, score and each example's correctness over (x, y), in batches of the evaluation batch size.</summary>
    protected (double Loss, double Score, bool[] Correct) MeasureSet(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y)
    {
        using var inference = inference_mode(); // no autograd bookkeeping at all
        using var scope = NewDisposeScope();
        using var one = 1.ToScalar(); // held for the calls (docs/torchsharp.md)
        int evalBatch = Config.EvalBatchSize;
        long n = x.shape[0];
        var lossSum = zeros(1, dtype: ScalarType.Float64, device: x.device);
        var correct = new List<Tensor>();
        for (long start = 0; start < n; start += evalBatch)
        {
            long m = Math.Min(evalBatch, n - start);
            var output = model.call(x.narrow(0, start, m));
            var yb = y.narrow(0, start, m);
            lossSum.add_(Loss(output, yb, nn.Reduction.Sum).to_type(ScalarType.Float64), one);
            correct.Add(Correct(output, yb));
        }
        var all = cat(correct, 0).cpu();
        var flags = all.data<bool>().ToArray();
        double sum = lossSum.item<double>();
        return (sum / Math.Max(1, n), SetScore(sum, flags.Count(f => f), y), flags);
    }

    public bool Fitted(EpochMetrics row) => row.TrainAccuracy >= Config.FitTarget;

    public virtual CheckpointState SaveTo(CheckpointState state) => state with { FirstFitEpoch = firstFit, FirstFitBeforeScreen = firstFitBefore };

    public virtual void RestoreFrom(CheckpointState state)
    {
        firstFit = state.FirstFitEpoch;
        firstFitBefore = state.FirstFitBeforeScreen;
    }

    public void WriteSetup(RunFolder run) => run.WriteSubsets(Data.TrainIndices, Data.TestIndices);

    public void WriteResults(RunFolder run)
    {
        using (var lc = Data.LabelChanged.cpu())
        using (var ic = Data.InputChanged.cpu())
            run.WriteExamples(lc.data<bool>().ToArray(), ic.data<bool>().ToArray(), firstFit);
        run.WriteLabelTransition(Data.LabelTransition);
    }

    public void Dispose()
    {
        Data.Dispose();
        GC.SuppressFinalize(this);
    }
}
