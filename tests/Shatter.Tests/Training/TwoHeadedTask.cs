using System.Text.Json.Nodes;
using Shatter.Models;
using Shatter.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Tests.Training;

/// <summary>
/// A tests-only semi-supervised task with a two-headed loss: a few labelled points (classes = which of 4 centres a
/// point was drawn around) and many unlabelled ones. Each step takes a labelled batch and an unlabelled batch from two
/// index streams (two orders drawn when the epoch begins); the model's outputs are two heads, 4 class logits and a
/// reconstruction of its d inputs: loss = cross-entropy(labelled) + λ·MSE(unlabelled reconstruction). The score is the
/// accuracy on the labelled training points (test: fresh labelled points); its per-example record (the first epoch from
/// which each labelled point stays right) goes into checkpoints as the task's own JSON state.
/// </summary>
sealed class TwoHeadedTask : ITrainingTask
{
    public const int Classes = 4, Dimensions = 8, UnlabelledPerLabelled = 3;
    const double Lambda = 0.5;

    readonly TrainConfig config;
    readonly Tensor labelledX, labelledY, unlabelledX, testX, testY; // x: float (n, 1, 1, d); y: int64 (n)
    int[] firstRight;
    Tensor? labelledOrder, unlabelledOrder;

    public TwoHeadedTask(TrainConfig config, Device device)
    {
        this.config = config;
        using var scope = NewDisposeScope();
        using var gen = new Generator((ulong)Seeds.Derive(config.Seed, "two-headed-data"));
        using var spread = 3.0.ToScalar();
        var centres = randn([Classes, Dimensions], generator: gen).mul(spread);
        (Tensor X, Tensor Y) Draw(int n)
        {
            var y = randint(Classes, [n], generator: gen);
            var x = centres.index_select(0, y).add(randn([n, Dimensions], generator: gen));
            return (x.view(n, 1, 1, Dimensions).to(device).MoveToOuterDisposeScope(), y.to(device).MoveToOuterDisposeScope());
        }
        (labelledX, labelledY) = Draw(config.TrainSize);
        unlabelledX = Draw(config.TrainSize * UnlabelledPerLabelled).X;
        (testX, testY) = Draw(config.TestSize);
        firstRight = Enumerable.Repeat(-1, config.TrainSize).ToArray();
    }

    public string Name => "two-headed";
    public TaskScore Score => TaskScore.Accuracy;
    public IReadOnlyList<KeyValuePair<string, object?>> Resolved => [new("classes", Classes), new("train_size", config.TrainSize), new("unlabelled", config.TrainSize * UnlabelledPerLabelled)];
    public TaskSummary Summary => new(config.TrainSize, config.TestSize, 0, 0, null);

    /// <summary>One MLP of the zoo with both heads' outputs side by side: (B, 4 + d).</summary>
    public nn.Module<Tensor, Tensor> CreateModel() => ModelRegistry.Create(config.Model, (1, 1, Dimensions), Classes + Dimensions, new ModelOptions(config.Dropout));

    public int StepsPerEpoch => (config.TrainSize + config.BatchSize - 1) / config.BatchSize;

    public void BeginEpoch(int epoch, EpochRandom random)
    {
        labelledOrder = randperm(config.TrainSize, generator: random.Once("order")).to(labelledX.device);
        unlabelledOrder = randperm(config.TrainSize * UnlabelledPerLabelled, generator: random.Once("unlabelled-order")).to(labelledX.device);
    }

    public TrainStep Step(nn.Module<Tensor, Tensor> model, int index)
    {
        int b = config.BatchSize, start = index * b, size = Math.Min(b, config.TrainSize - start);
        int ub = b * UnlabelledPerLabelled;
        var li = labelledOrder!.narrow(0, start, size);
        var ui = unlabelledOrder!.narrow(0, index * ub, Math.Min(ub, config.TrainSize * UnlabelledPerLabelled - index * ub));
        var labelled = model.call(labelledX.index_select(0, li));
        var u = unlabelledX.index_select(0, ui);
        var reconstructed = model.call(u).narrow(1, Classes, Dimensions);
        using var lambda = Lambda.ToScalar();
        var loss = nn.functional.cross_entropy(labelled.narrow(1, 0, Classes), labelledY.index_select(0, li))
            .add(nn.functional.mse_loss(reconstructed, u.flatten(1)).mul(lambda));
        return new TrainStep(loss, size + ui.shape[0]);
    }

    (double Loss, double Accuracy, bool[] Right) Measure(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y)
    {
        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        var logits = model.call(x).narrow(1, 0, Classes);
        var right = logits.argmax(1).eq(y).cpu().data<bool>().ToArray();
        return (nn.functional.cross_entropy(logits, y).item<float>(), right.Count(r => r) / (double)right.Length, right);
    }

    public Scores Evaluate(nn.Module<Tensor, Tensor> model, Evaluation evaluation)
    {
        model.eval();
        var (trainLoss, trainAccuracy, right) = Measure(model, labelledX, labelledY);
        evaluation.Lap(TrainPhase.EvaluateTrain);
        var (testLoss, testAccuracy, _) = Measure(model, testX, testY);
        evaluation.Lap(TrainPhase.EvaluateTest);
        if (evaluation.Complete)
            for (int i = 0; i < right.Length; i++) firstRight[i] = right[i] ? (firstRight[i] < 0 ? evaluation.Epoch : firstRight[i]) : -1;
        return new Scores(trainLoss, trainAccuracy, testLoss, testAccuracy);
    }

    public Scores? Remeasure(nn.Module<Tensor, Tensor> model, Evaluation evaluation) => null;

    public bool Fitted(EpochMetrics row) => row.TrainAccuracy >= config.FitTarget;

    /// <summary>The first epoch from which each labelled point has stayed right (−1: wrong now).</summary>
    public IReadOnlyList<int> FirstRight => firstRight;

    public CheckpointState SaveTo(CheckpointState state) => state with { TaskState = new JsonObject { ["first_right"] = new JsonArray([.. firstRight.Select(e => JsonValue.Create(e))]) } };

    public void RestoreFrom(CheckpointState state) => firstRight = [.. state.TaskState!["first_right"]!.AsArray().Select(e => e!.GetValue<int>())];

    public void WriteSetup(RunFolder run) { }

    public void WriteResults(RunFolder run) =>
        File.WriteAllLines(Path.Combine(run.Path, "labelled.csv"), ["index,first_right_epoch", .. firstRight.Select((e, i) => FormattableString.Invariant($"{i},{e}"))]);

    public void Dispose()
    {
        foreach (var t in new[] { labelledX, labelledY, unlabelledX, testX, testY }) t.Dispose();
    }
}
