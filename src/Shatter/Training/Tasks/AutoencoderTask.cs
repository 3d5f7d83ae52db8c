using Shatter.Corruptions;
using Shatter.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Training.Tasks;

/// <summary>
/// Reconstruction (issue 21's unsupervised experiment; Radhakrishnan, Belkin and Uhler, PNAS 2020; Zhang, Bengio, Hardt,
/// Mozer and Singer, ICLR 2020): an autoencoder of the zoo (ae-*) learns f(x) ≈ x on the training images, prepared as
/// every run's are (<see cref="TrainingData"/>: the class-balanced subset of --train-size, crop, the --inputs
/// randomization — true, shuffled pixels, random pixels, Gaussian — and per-image whitening); labels are never read.
/// The loss is the mean squared error over images and pixels. The score (the accuracy columns) is 1 − MSE / variance,
/// the variance that of the set's pixel values about their mean (float64): 0 for the map to the mean pixel, 1 for a
/// perfect reconstruction, about 1 − MSE on whitened images. "Fitted" is a training MSE of at most
/// <see cref="TrainConfig.ReconstructionTarget"/>. No per-example record and no task state in checkpoints: every epoch's
/// order comes from the epoch's random stream, so a resumed run ends as the uninterrupted one bit for bit.
/// </summary>
public sealed class AutoencoderTask : ITrainingTask
{
    readonly TrainingData data;
    readonly TrainConfig config;
    readonly double trainVariance, testVariance;
    Tensor? order;

    public AutoencoderTask(TrainingData data, TrainConfig config)
    {
        (this.data, this.config) = (data, config);
        trainVariance = Variance(data.TrainEvalX);
        testVariance = Variance(data.TestX);
    }

    /// <summary>The training images (N, C, H, W) as the model sees them, on the run's device (the attractor measures read them).</summary>
    public Tensor TrainImages => data.TrainEvalX;
    /// <summary>The test images (M, C, H, W), prepared as the training images (the identity test reads them).</summary>
    public Tensor TestImages => data.TestX;

    public string Name => "reconstruction";
    public TaskScore Score => TaskScore.Reconstruction;

    public IReadOnlyList<KeyValuePair<string, object?>> Resolved =>
    [
        new("crop", data.Crop), new("input_shape", new[] { data.InputShape.Channels, data.InputShape.Height, data.InputShape.Width }),
        new("train_size", data.TrainCount), new("test_size", data.TestCount), new("train_pixel_variance", trainVariance),
    ];

    public TaskSummary Summary => new(data.TrainCount, data.TestCount, 0, data.FractionInputsChanged, null);

    /// <summary>
    /// Why <paramref name="c"/> cannot be a reconstruction run, in one sentence (null: it can). Options named by
    /// <paramref name="name"/> (a property name → its spelling on the command line or in a spec).
    /// </summary>
    public static string? Problem(TrainConfig c, Func<string, string> name)
    {
        bool autoencoder = ModelRegistry.IsAutoencoder(c.Model);
        if (!autoencoder)
            return c.ReconstructionTarget != TrainConfig.DefaultReconstructionTarget
                ? $"{name(nameof(TrainConfig.ReconstructionTarget))} is an autoencoder's fit; {c.Model} is not one: drop it, or train an ae-* model ('shatter models')."
                : null;
        if (Data.TabularDataset.IsTabular(c.Dataset) || Data.DatasetCatalog.TextNames.Contains(c.Dataset))
            return $"an autoencoder ({c.Model}) reconstructs images, and {c.Dataset} is not an image dataset; use one of {string.Join(", ", Data.DatasetCatalog.Names)}.";
        string? label =
            c.LabelNoise != 0 ? nameof(TrainConfig.LabelNoise)
            : c.LabelNoiseMode != LabelNoiseMode.Uniform ? nameof(TrainConfig.LabelNoiseMode)
            : c.Transition is not null ? nameof(TrainConfig.Transition)
            : c.FitTarget != 1 ? nameof(TrainConfig.FitTarget)
            : c.MemorizationEpochs is not null ? nameof(TrainConfig.MemorizationEpochs)
            : null;
        if (label is not null)
            return $"{name(label)} acts on class labels, which an autoencoder ({c.Model}) never reads; drop it (randomize its images with {name(nameof(TrainConfig.Inputs))}, and set its fit with {name(nameof(TrainConfig.ReconstructionTarget))}).";
        if (c.AugmentCrop || c.AugmentFlip)
            return $"{name(nameof(TrainConfig.Augment))} is not supported for an autoencoder ({c.Model}), whose target is its own input image; drop it.";
        if (c.Dropout != 0)
            return $"the autoencoders of the zoo have no dropout layers; drop {name(nameof(TrainConfig.Dropout))} for {c.Model}.";
        return null;
    }

    public nn.Module<Tensor, Tensor> CreateModel() => ModelRegistry.CreateAutoencoder(config.Model, data.InputShape);

    public int StepsPerEpoch => (data.TrainCount + config.BatchSize - 1) / config.BatchSize;

    public void BeginEpoch(int epoch, EpochRandom random) =>
        order = randperm(data.TrainCount, generator: random.Once("order")).to(data.TrainX.device);

    public TrainStep Step(nn.Module<Tensor, Tensor> model, int index)
    {
        int n = data.TrainCount, start = index * config.BatchSize;
        var x = data.TrainX.index_select(0, order!.narrow(0, start, Math.Min(config.BatchSize, n - start)));
        return new TrainStep(nn.functional.mse_loss(model.call(x), x), x.shape[0]);
    }

    public Scores Evaluate(nn.Module<Tensor, Tensor> model, Evaluation evaluation)
    {
        model.eval();
        double trainMse = Mse(model, data.TrainEvalX);
        evaluation.Lap(TrainPhase.EvaluateTrain);
        double testMse = Mse(model, data.TestX);
        evaluation.Lap(TrainPhase.EvaluateTest);
        return new Scores(trainMse, ScoreOf(trainMse, trainVariance), testMse, ScoreOf(testMse, testVariance));
    }

    /// <summary>1 − MSE / variance; NaN (undefined) for a set of constant pixels.</summary>
    public static double ScoreOf(double mse, double variance) => variance > 0 ? 1 - mse / variance : double.NaN;

    /// <summary>Mean squared error of f(x) against x over images and pixels, summed in float64 over evaluation batches.</summary>
    double Mse(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        using var one = 1.ToScalar(); // held for the call (docs/torchsharp.md)
        long n = x.shape[0];
        var sum = zeros(1, dtype: ScalarType.Float64, device: x.device);
        for (long start = 0; start < n; start += config.EvalBatchSize)
        {
            var xb = x.narrow(0, start, Math.Min(config.EvalBatchSize, n - start));
            sum.add_(nn.functional.mse_loss(model.call(xb), xb, nn.Reduction.Sum).to_type(ScalarType.Float64), one);
        }
        return sum.item<double>() / Math.Max(1, x.numel());
    }

    /// <summary>Mean squared deviation of every pixel value of the set from their mean, in float64.</summary>
    static double Variance(Tensor x)
    {
        using var scope = NewDisposeScope();
        var v = x.to_type(ScalarType.Float64);
        if (x.numel() == 0) return double.NaN;
        var centred = v.sub(v.mean());
        return centred.mul(centred).mean().item<double>();
    }

    public Scores? Remeasure(nn.Module<Tensor, Tensor> model, Evaluation evaluation) => null; // every row is measured

    public bool Fitted(EpochMetrics row) => row.TrainLoss <= config.ReconstructionTarget;

    public CheckpointState SaveTo(CheckpointState state) => state;
    public void RestoreFrom(CheckpointState state) { }

    public void WriteSetup(RunFolder run) => run.WriteSubsets(data.TrainIndices, data.TestIndices);
    public void WriteResults(RunFolder run) { }

    public void Dispose()
    {
        data.Dispose();
        GC.SuppressFinalize(this);
    }
}
