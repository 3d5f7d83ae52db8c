using Shatter.Models;
using Shatter.Runtime;
using Shatter.Training.Tasks;
using TorchSharp;

namespace Shatter.Training;

/// <summary>
/// Trains one model on one task and records what the paper measured: per-step training loss, per-epoch loss and score
/// over the whole training and test sets (eval mode), time to fit, best test score, and for each training example the
/// first epoch from which it stays right. SGD with momentum; learning rate lr0·decay^⌊samples seen / decay_every⌋ (the
/// constant schedule, the default of until-fit runs: lr0 throughout), cut on plateaus.
/// Same config and seed give the same run; an interrupted run resumes from its last checkpoint (an epoch's end, or the
/// exact step where --max-steps stopped it) and ends as the uninterrupted one would.
/// A non-finite loss ends the run as "diverged"; an until-fit run whose training score stops improving ends as
/// "stalled" (<see cref="StallEpochs"/>, <see cref="StallRateDrop"/>). Both still write every file.
/// Epoch checkpoints are written after the first epoch, then every <see cref="CheckpointEverySeconds"/>, and at the end.
/// <para>
/// The parts (PyTorch Lightning's split): <see cref="ITrainingTask"/> (what is trained: data, batches, loss, scores,
/// the fit, the per-example record), <see cref="FitLoop"/> (the loop over epochs), <see cref="EpochLoop"/> (the steps of
/// one), <see cref="TrainingState"/> (the counters, which checkpoint and restore themselves), the stopping rules
/// (Training/Rules) and the callbacks (<see cref="ITrainCallback"/>: the run folder's writers, the progress display, probes).
/// </para>
/// </summary>
public static class Trainer
{
    /// <summary>
    /// An until-fit run is stalled when its best training accuracy has not risen for this many epochs. 200: runs
    /// that went on to fit (random labels on 10,000 Fashion-MNIST images, docs/schedules.md) never went more than
    /// 53 epochs without a new best, so this leaves a margin of about 4; and it is more than the whole fit of any
    /// quick-scale run.
    /// </summary>
    public const int StallEpochs = 200;

    /// <summary>
    /// …or when the learning rate has fallen this many times since the last new best: every later step is at least
    /// 100× smaller than the ones that no longer helped (the paper's schedule: 90 decays, 90 CIFAR-10 epochs).
    /// </summary>
    public const double StallRateDrop = 100;

    /// <summary>
    /// Reduce on plateau, the default of until-fit runs: after this many epochs without a new best training accuracy
    /// the rate is cut <see cref="PlateauFactor"/>-fold, at most <see cref="PlateauDrops"/> times, before
    /// <see cref="StallEpochs"/> call the run stalled. 50: at a constant rate the runs of docs/schedules.md that fitted
    /// went at most 53 epochs without a new best, and a run stuck on a few near-duplicate images with different labels
    /// flips between them at the full rate (docs/schedules.md, seed 4): a smaller step lets it settle.
    /// </summary>
    public const int PlateauEpochsUntilFit = 50;
    public const double PlateauFactor = 0.1;
    public const int PlateauDrops = 2;

    /// <summary>
    /// Wall seconds between two checkpoints after the first epoch's. Resuming replays the epochs after the
    /// last checkpoint exactly (every epoch's randomness comes from (seed, epoch)), so a sparser cadence
    /// loses at most this much work to a kill, and saves writing weights and momentum every epoch
    /// (measured in experiments/README.md: 2–3% of a small MLP run).
    /// </summary>
    public const double CheckpointEverySeconds = 30;

    public static TrainSummary Run(TrainConfig config, string outDir, bool resume = false, ITrainObserver? observer = null, CancellationToken cancellationToken = default) =>
        Run(config, outDir, new TrainerOptions { Resume = resume, Observer = observer }, cancellationToken);

    /// <summary>Sets a run up — its folder (locked), task, model, optimizer, checkpoint and run.json — then runs its <see cref="FitLoop"/>.</summary>
    public static TrainSummary Run(TrainConfig config, string outDir, TrainerOptions options, CancellationToken cancellationToken = default)
    {
        config.Validate();
        var phases = new PhaseClock();
        var spec = ModelRegistry.IsAutoencoder(config.Model) ? ModelRegistry.DescribeAutoencoder(config.Model) : ModelRegistry.Describe(config.Model);
        config = config.WithModelHash() with { LearningRate = config.LearningRate ?? spec.DefaultLearningRate };
        int threads = TorchRuntime.SetThreads(config.Threads);
        var device = TorchRuntime.ResolveDevice(config.Device);
        var run = new RunFolder(outDir);
        run.Create();
        using var folderLock = run.Lock();
        if (!options.Resume && File.Exists(run.SummaryJson))
            throw new ShatterException($"{outDir} already holds a finished run (summary.json); choose another --out folder, or delete it to train again.");

        using var task = (options.Task ?? TrainingTasks.Create)(config, device);
        torch.manual_seed(Seeds.Derive(config.Seed, "init"));
        using var model = task.CreateModel();
        model.to(device);
        long parameters = ModelRegistry.ParameterCount(model);
        using var optimizer = new Sgd(model.parameters(), config.LearningRate!.Value, config.Momentum, config.WeightDecay);

        var identity = RunJson.Identity(config);
        var checkpoint = options.Resume ? Checkpoint.Load(run, model, optimizer) : null;
        if (checkpoint is not null && checkpoint.ConfigJson != identity && RunJson.ModelChanged(checkpoint.ConfigJson, config) is { } trained)
            throw new ShatterException($"{outDir} holds a checkpoint of {config.Model} as it was (SHA-256 {trained[..Math.Min(12, trained.Length)]}…), but the file has changed since (now {config.ModelSha256![..12]}…); a changed model is a new run: restore the file to resume, or train the new one into another --out folder.");
        if (checkpoint is not null && checkpoint.ConfigJson != identity)
            throw new ShatterException($"{outDir} holds a checkpoint of a different configuration; resume with the options it was started with (see its run.json), or choose another --out folder.");
        RunJson.Write(run, config, spec, parameters, threads, device, task);
        task.WriteSetup(run);

        var setup = new FitLoop.Setup(config, run, task, model, optimizer, device, threads, parameters, identity);
        using var loop = new FitLoop(setup, options, phases, checkpoint, cancellationToken);
        return loop.Run();
    }

    /// <summary>
    /// The paper's schedule: lr0 · decay^⌊samples / decay_every⌋ (staircase; decay_every = the paper's 50,000-image
    /// epoch); the constant schedule keeps lr0.
    /// </summary>
    public static double LearningRateAt(TrainConfig c, long samplesSeen) =>
        c.Schedule == LearningRateSchedule.Constant ? c.LearningRate!.Value
        : c.LearningRate!.Value * Math.Pow(c.LearningRateDecay, samplesSeen / c.DecayEvery);

    /// <summary>
    /// No new best training accuracy for <see cref="StallEpochs"/> epochs, or while the rate fell
    /// <see cref="StallRateDrop"/>× below the one at the last new best.
    /// </summary>
    public static bool Stalled(int epoch, int bestTrainEpoch, double rateAtBest, double rateNow) =>
        epoch > bestTrainEpoch && (epoch - bestTrainEpoch >= StallEpochs || rateNow * StallRateDrop <= rateAtBest);
}
