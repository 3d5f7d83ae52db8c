using Shatter.Models;
using Shatter.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Tests.Training;

/// <summary>
/// A tests-only task that is not classification: a denoising autoencoder. The data are d-dimensional points on a
/// 4-dimensional subspace (drawn from the run's seed); the model (an MLP of the zoo with d outputs) sees each training
/// point plus Gaussian noise drawn step by step from the epoch's "noise" stream, and is scored on clean points by
/// 1 − MSE / variance (the mean squared error measured in units of the data's variance). "Fitted" means that score
/// reached the run's fit target. No per-example record, no task state in checkpoints: what the trainer needs is the
/// interface, nothing of the supervised tasks.
/// </summary>
sealed class ReconstructionTask : ITrainingTask
{
    public const int Dimensions = 16;
    const double NoiseStd = 0.1;

    readonly TrainConfig config;
    readonly Tensor train, test; // float (n, 1, 1, d), on the run's device
    readonly double variance;    // mean squared deviation of the training points from their mean, per coordinate
    Tensor? order;
    Generator? noise;

    public ReconstructionTask(TrainConfig config, Device device)
    {
        this.config = config;
        using var scope = NewDisposeScope();
        using var gen = new Generator((ulong)Seeds.Derive(config.Seed, "reconstruction-data"));
        var basis = randn([4, Dimensions], generator: gen);
        Tensor Points(int n) => randn([n, 4], generator: gen).matmul(basis).view(n, 1, 1, Dimensions).to(device);
        train = Points(config.TrainSize).MoveToOuterDisposeScope();
        test = Points(config.TestSize).MoveToOuterDisposeScope();
        variance = train.sub(train.mean([0], keepdim: true)).square().mean().item<float>();
    }

    public string Name => "reconstruction";
    public TaskScore Score { get; } = new("1 − MSE/variance", "reconstruction", "0.0000", "1−MSE/var");
    public IReadOnlyList<KeyValuePair<string, object?>> Resolved => [new("input_shape", new[] { 1, 1, Dimensions }), new("train_size", config.TrainSize), new("test_size", config.TestSize)];
    public TaskSummary Summary => new(config.TrainSize, config.TestSize, 0, 0, null);

    public nn.Module<Tensor, Tensor> CreateModel() => ModelRegistry.Create(config.Model, (1, 1, Dimensions), Dimensions, new ModelOptions(config.Dropout));

    public int StepsPerEpoch => (config.TrainSize + config.BatchSize - 1) / config.BatchSize;

    public void BeginEpoch(int epoch, EpochRandom random)
    {
        order = randperm(config.TrainSize, generator: random.Once("order")).to(train.device);
        noise = random.Stream("noise");
    }

    public TrainStep Step(nn.Module<Tensor, Tensor> model, int index)
    {
        int start = index * config.BatchSize, size = Math.Min(config.BatchSize, config.TrainSize - start);
        var clean = train.index_select(0, order!.narrow(0, start, size));
        using var std = NoiseStd.ToScalar();
        var noisy = clean.add(randn(clean.shape, generator: noise).to(clean.device).mul(std));
        var loss = nn.functional.mse_loss(model.call(noisy), clean.flatten(1));
        return new TrainStep(loss, size);
    }

    (double Mse, double Score) Measure(nn.Module<Tensor, Tensor> model, Tensor points)
    {
        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        double mse = nn.functional.mse_loss(model.call(points), points.flatten(1)).item<float>();
        return (mse, 1 - mse / variance);
    }

    public Scores Evaluate(nn.Module<Tensor, Tensor> model, Evaluation evaluation)
    {
        model.eval();
        var (trainMse, trainScore) = Measure(model, train);
        evaluation.Lap(TrainPhase.EvaluateTrain);
        var (testMse, testScore) = Measure(model, test);
        evaluation.Lap(TrainPhase.EvaluateTest);
        return new Scores(trainMse, trainScore, testMse, testScore);
    }

    public Scores? Remeasure(nn.Module<Tensor, Tensor> model, Evaluation evaluation) => null; // every row is measured

    public bool Fitted(EpochMetrics row) => row.TrainAccuracy >= config.FitTarget;

    public CheckpointState SaveTo(CheckpointState state) => state;
    public void RestoreFrom(CheckpointState state) { }
    public void WriteSetup(RunFolder run) { }
    public void WriteResults(RunFolder run) { }

    public void Dispose()
    {
        train.Dispose();
        test.Dispose();
    }
}
