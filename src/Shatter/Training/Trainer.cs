using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Shatter.Models;
using Shatter.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Shatter.Training;

/// <summary>
/// Trains one model on one (possibly randomized) dataset and records what the paper measured:
/// per-step training loss, per-epoch loss and accuracy over the whole training and test sets (eval
/// mode), time to fit, best test accuracy, and for each training example the first epoch from which it
/// stays correctly classified. SGD with momentum; learning rate lr0·decay^⌊samples seen / decay_every⌋
/// (the constant schedule, the default of until-fit runs: lr0 throughout).
/// Same config and seed give the same run; an interrupted run resumes from its last checkpoint (an epoch's
/// end, or the exact step where --max-steps stopped it) and ends as the uninterrupted one would.
/// A non-finite loss ends the run as "diverged"; an until-fit run whose training accuracy stops improving
/// ends as "stalled" (<see cref="StallEpochs"/>, <see cref="StallRateDrop"/>). Both still write every file.
/// Epoch checkpoints are written after the first epoch, then every <see cref="CheckpointEverySeconds"/>, and at the end.
/// </summary>
public static class Trainer
{
    /// <summary>Steps between two observer calls (reading a loss synchronises the device).</summary>
    const int ObserveEvery = 20;

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

    public static TrainSummary Run(TrainConfig config, string outDir, TrainerOptions options, CancellationToken cancellationToken = default)
    {
        bool resume = options.Resume;
        var observer = options.Observer;
        config.Validate();
        var phases = new PhaseClock();
        var spec = ModelRegistry.Describe(config.Model);
        config = config with { LearningRate = config.LearningRate ?? spec.DefaultLearningRate };
        int threads = TorchRuntime.SetThreads(config.Threads);
        var device = TorchRuntime.ResolveDevice(config.Device);
        var run = new RunFolder(outDir);
        run.Create();
        using var folderLock = run.Lock();
        if (!resume && File.Exists(run.SummaryJson))
            throw new ShatterException($"{outDir} already holds a finished run (summary.json); choose another --out folder, or delete it to train again.");

        using var data = TrainingData.Prepare(config, device);
        torch.manual_seed(Seeds.Derive(config.Seed, "init"));
        using var model = ModelRegistry.Create(config.Model, data.InputShape, data.Classes, new ModelOptions(config.Dropout, Regression: data.Task == TrainingTask.Regression));
        model.to(device);
        long parameters = ModelRegistry.ParameterCount(model);
        using var optimizer = new Sgd(model.parameters(), config.LearningRate!.Value, config.Momentum, config.WeightDecay);

        var identity = IdentityJson(config);
        var state = resume ? Checkpoint.Load(run, model, optimizer) : null;
        if (state is not null && state.ConfigJson != identity)
            throw new ShatterException($"{outDir} holds a checkpoint of a different configuration; resume with the options it was started with (see its run.json), or choose another --out folder.");
        WriteRunJson(run, config, spec, parameters, threads, device, data);
        run.WriteSubsets(data.TrainIndices, data.TestIndices);
        // Arpit et al.'s memorization measures at the epochs asked for (none by default); their time is not training time
        using var memorization = Adversarial.MemorizationProbe.Create(config, data, outDir, state?.Epoch, device);

        int n = data.TrainCount, batch = config.BatchSize;
        int stepsPerEpoch = (n + batch - 1) / batch;
        var firstFit = state?.FirstFitEpoch ?? Enumerable.Repeat(-1, n).ToArray();
        int epoch = state?.Epoch ?? 0;
        long step = state?.Step ?? 0, samples = state?.SamplesProcessed ?? 0;
        long? stepsToFit = state?.StepsToFit;
        int? epochsToFit = state?.EpochsToFit;
        double best = state?.BestTestAccuracy ?? -1, elapsedBefore = state?.ElapsedSeconds ?? 0;
        int bestEpoch = state?.BestTestEpoch ?? 0;
        double bestTrain = state?.BestTrainAccuracy ?? -1, bestTrainRate = state?.BestTrainLearningRate ?? 0;
        int bestTrainEpoch = state?.BestTrainEpoch ?? 0;
        // reduce on plateau: drops taken so far and the epoch of the last one; the rate is the schedule's × factor^drops
        int drops = state?.PlateauDrops ?? 0, lastDropEpoch = state?.LastPlateauEpoch ?? 0;
        int plateau = config.PlateauEpochsResolved;
        var dropEpochs = new List<int>(state?.PlateauDropEpochs ?? []);
        double Scale() => Math.Pow(PlateauFactor, drops);
        double RateAt(long samplesSeen) => LearningRateAt(config, samplesSeen) * Scale();
        int resumeBatches = state?.BatchesIntoEpoch ?? 0; // > 0: the checkpoint is mid-epoch (a --max-steps stop)
        EpochMetrics? last = state?.Last;
        string stop = "epochs";
        Divergence? diverged = null;
        var clock = new Stopwatch();
        double Elapsed() => elapsedBefore + clock.Elapsed.TotalSeconds;

        if (state is null)
        {
            run.StartCsvs(data.Task == TrainingTask.Regression);
            RunWeights.Save(model, run.InitialWeights); // epoch 0: what distance-from-initialisation measures compare with
            last = Evaluate(model, data, 0, 0, LearningRateAt(config, 0), 0, firstFit, config.EvalBatchSize, null);
            Record(last);
            if (memorization?.Due(0) == true) memorization.Measure(model, 0);
        }
        else
        {
            run.TruncateCsvs(state.Epoch, state.Step, data.Task == TrainingTask.Regression);
        }
        clock.Start(); // wall_seconds: the epoch loop (training and its evaluations), not the set-up or epoch 0
        phases.Lap(ref phases.Setup);

        void Record(EpochMetrics m)
        {
            run.AppendEpoch(m);
            observer?.OnEpoch(m, config.Epochs);
            // The first finite score always counts: a regression's R² (in the accuracy columns) can start below -1.
            if (m.Epoch > 0 && double.IsFinite(m.TestAccuracy) && (bestEpoch == 0 || m.TestAccuracy > best)) (best, bestEpoch) = (m.TestAccuracy, m.Epoch);
            if (m.TrainAccuracy >= config.FitTarget && stepsToFit is null) (stepsToFit, epochsToFit) = (m.Step, m.Epoch);
            // the stall rule compares the schedule's rates: plateau drops are counted by epochs, not by rate. Both rules read
            // the training accuracy as recorded: the model's over the whole set, or a screened epoch's running one (Screen)
            if (double.IsFinite(m.TrainAccuracy) && (m.Epoch == 0 || m.TrainAccuracy > bestTrain)) (bestTrain, bestTrainEpoch, bestTrainRate) = (m.TrainAccuracy, m.Epoch, m.LearningRate / Scale());
            if (plateau > 0 && m.Epoch > 0 && drops < PlateauDrops && stepsToFit is null && m.Epoch - Math.Max(bestTrainEpoch, lastDropEpoch) >= plateau)
            {
                drops++;
                lastDropEpoch = m.Epoch;
                dropEpochs.Add(m.Epoch);
            }
        }

        bool Done()
        {
            if (diverged is not null) { stop = "diverged"; return true; }
            if (config.UntilFit && stepsToFit is not null) { stop = "fit"; return true; }
            if (config.UntilFit && Stalled(epoch, bestTrainEpoch, bestTrainRate, LearningRateAt(config, samples))) { stop = "stalled"; return true; }
            if (config.MaxSteps > 0 && step >= config.MaxSteps) { stop = "max-steps"; return true; }
            if (epoch >= config.Epochs) { stop = "epochs"; return true; }
            return false;
        }

        // Training-set evaluation is screened in until-fit classification runs (see Screen): an epoch whose end model
        // provably misclassifies too many training images to meet the fit target records the epoch's running metrics
        bool screen = config.UntilFit && data.Task == TrainingTask.Classification;
        // the last recorded epoch was screened: its per-example record before that epoch, to redo its update with the
        // model's own evaluation if the run ends there (kept in checkpoints, so a resumed finished run reports the same)
        int[]? firstFitBefore = state?.FirstFitBeforeScreen;
        bool lastScreened = firstFitBefore is not null;
        phases.ScreenedEpochs = state?.ScreenedEpochs ?? 0;
        long lastCheckpointAt = 0;
        bool lastCheckpointed = false;
        void SaveEpochCheckpoint(torch.Generator dropout, torch.Generator augment)
        {
            Checkpoint.Save(run, Snapshot(0), model, optimizer, dropout, augment);
            phases.Lap(ref phases.Checkpoints);
            phases.CheckpointsWritten++;
            lastCheckpointAt = options.CheckpointClock.GetTimestamp();
            lastCheckpointed = true;
        }
        using var stepLosses = zeros(stepsPerEpoch, device: device);
        var rates = new List<double>(stepsPerEpoch);
        int side = data.InputShape.Height;
        bool augmentCrop = config.AugmentCrop, augmentFlip = config.AugmentFlip;
        CheckpointState Snapshot(int batchesIntoEpoch) => new()
        {
            Epoch = epoch, Step = step, StepsToFit = stepsToFit, EpochsToFit = epochsToFit, BestTestAccuracy = best,
            BestTestEpoch = bestEpoch, ElapsedSeconds = Elapsed(), SamplesProcessed = samples, FirstFitEpoch = firstFit,
            Last = last, ConfigJson = identity, BestTrainAccuracy = bestTrain, BestTrainEpoch = bestTrainEpoch,
            BestTrainLearningRate = bestTrainRate, BatchesIntoEpoch = batchesIntoEpoch,
            PlateauDrops = drops, LastPlateauEpoch = lastDropEpoch, PlateauDropEpochs = [.. dropEpochs],
            ScreenedEpochs = phases.ScreenedEpochs, FirstFitBeforeScreen = lastScreened ? firstFitBefore : null,
        };

        while (!Done())
        {
            epoch++;
            using var epochScope = NewDisposeScope(); // whatever an epoch allocates dies with it
            // Everything random in an epoch comes from generators seeded by (seed, epoch), so a resumed
            // run draws exactly what the uninterrupted one drew.
            using var orderGen = new torch.Generator((ulong)Seeds.Derive(config.Seed, $"order/{epoch}"));
            using var augmentGen = new torch.Generator((ulong)Seeds.Derive(config.Seed, $"augment/{epoch}"));
            var dropoutGen = torch.manual_seed(Seeds.Derive(config.Seed, $"dropout/{epoch}"));
            using var order = randperm(n, generator: orderGen).to(device);
            // Batches of this epoch a mid-epoch checkpoint already holds: restore where its generators stood. (On CUDA
            // dropout draws from the device's generator, which is not saved: there the rest of that one epoch's
            // dropout masks differ from the uninterrupted run's; on the CPU the resumption is exact.)
            int skip = resumeBatches;
            if (skip > 0)
            {
                Checkpoint.LoadGenerators(run, dropoutGen, augmentGen);
                resumeBatches = 0;
            }
            model.train();
            rates.Clear();
            var forwardCorrect = new List<Tensor>();
            long firstStep = step + 1;
            int taken = 0;
            int cutAt = -1; // the batch where --max-steps stopped this epoch, if it did
            for (int start = skip * batch; start < n; start += batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (config.MaxSteps > 0 && step >= config.MaxSteps)
                {
                    cutAt = start / batch;
                    break;
                }
                using var scope = NewDisposeScope();
                double lr = RateAt(samples);
                optimizer.LearningRate = lr;
                var idx = order.narrow(0, start, Math.Min(batch, n - start));
                var x = data.TrainX.index_select(0, idx);
                if (augmentCrop || augmentFlip)
                    x = Augmentation.Apply(x, side, augmentCrop, augmentFlip, whiten: augmentCrop && config.Whiten, augmentGen);
                var y = data.TrainY.index_select(0, idx);
                optimizer.ClearGrad();
                var output = model.call(x);
                var loss = data.Task.Loss(output, y, nn.Reduction.Mean);
                loss.backward();
                optimizer.Step();
                if (screen) forwardCorrect.Add(data.Task.Correct(output.detach(), y).MoveToOuterDisposeScope()); // in `order`'s sequence
                stepLosses[taken].copy_(loss.detach());
                rates.Add(lr);
                taken++;
                step++;
                samples += idx.shape[0];
                if (observer is not null && step % ObserveEvery == 0) observer.OnStep(step, epoch, loss.item<float>());
            }
            phases.Lap(ref phases.Steps);
            float[] epochLosses;
            using (var losses = stepLosses.narrow(0, 0, taken).cpu())
                epochLosses = losses.data<float>().ToArray();
            run.AppendSteps(firstStep, epoch, rates, epochLosses);
            phases.Lap(ref phases.Csv);
            int bad = Array.FindIndex(epochLosses, l => !float.IsFinite(l));
            if (bad >= 0) diverged = new Divergence(epoch, firstStep + bad, rates[bad], epochLosses[bad]);
            lastCheckpointed = false;
            if (cutAt >= 0)
            {
                // Stopped mid-epoch by --max-steps: checkpoint this exact step (weights, momentum, generators; the
                // counters and per-example record as at the last epoch's end), so --resume finishes this epoch as the
                // uninterrupted run does. The stopped run reports an evaluation at this step, made on a copy.
                if (diverged is null)
                {
                    epoch--;
                    Checkpoint.Save(run, Snapshot(cutAt), model, optimizer, dropoutGen, augmentGen);
                    epoch++;
                    lastCheckpointed = true;
                }
                last = Evaluate(model, data, epoch, step, RateAt(samples), Elapsed(), (int[])firstFit.Clone(), config.EvalBatchSize, phases);
                lastScreened = false; // this evaluation is the model's own; the record stays the last epoch end's
            }
            else
            {
                // a screened epoch cannot be the fit, the epoch cap or a resumed partial epoch. An epoch that ends at the
                // --max-steps stop is screened as in the uninterrupted run, so its row and checkpoint are that run's (the
                // stopped run's summary still evaluates its model over the whole training set, below)
                bool canScreen = screen && skip == 0 && diverged is null && epoch < config.Epochs;
                var running = canScreen ? Screen(model, data, order, forwardCorrect, epochLosses, firstFit, batch, config.FitTarget, config.EvalBatchSize) : null;
                lastScreened = running is not null;
                if (running is not null)
                {
                    phases.ScreenedEpochs++;
                    firstFitBefore = (int[])firstFit.Clone();                            // to redo this epoch's update if it ends the run
                }
                last = Evaluate(model, data, epoch, step, RateAt(samples), Elapsed(), firstFit, config.EvalBatchSize, phases, running);
            }
            Record(last);
            phases.Lap(ref phases.Csv);
            if (cutAt < 0 && memorization?.Due(epoch) == true)
            {
                clock.Stop();
                memorization.Measure(model, epoch);
                clock.Start();
                phases.Lap(ref phases.Other);
            }
            if (diverged is null && !double.IsFinite(last.TrainLoss)) diverged = new Divergence(epoch, step, last.LearningRate, last.TrainLoss);
            // a diverged run keeps its last finite checkpoint; others checkpoint after the first epoch, then every
            // CheckpointEverySeconds (and once more after the loop if the last epoch was skipped)
            if (diverged is null && cutAt < 0 && (phases.CheckpointsWritten == 0 || options.CheckpointClock.GetElapsedTime(lastCheckpointAt).TotalSeconds >= CheckpointEverySeconds))
                SaveEpochCheckpoint(dropoutGen, augmentGen);
        }

        if (diverged is null && !lastCheckpointed && epoch > (state?.Epoch ?? 0))
        {
            // the last epoch fell between two timed checkpoints: save it, so the folder ends with the final model and the
            // state the uninterrupted run has here (a screened epoch's record, should --resume continue a --max-steps stop).
            // (The generators' states are not read back at an epoch's end: the next epoch reseeds from (seed, epoch).)
            using var dropout = new torch.Generator(0);
            using var augment = new torch.Generator(0);
            SaveEpochCheckpoint(dropout, augment);
        }
        if (lastScreened && diverged is null)
        {
            // the run stopped (stalled, or --max-steps) after a screened epoch: its summary and per-example record are the
            // model's own. Only what this process reports changes; the rows and the checkpoint keep the screened epoch.
            Array.Copy(firstFitBefore!, firstFit, firstFit.Length);
            last = Evaluate(model, data, epoch, step, last!.LearningRate, last.Seconds, firstFit, config.EvalBatchSize, phases);
        }
        double wall = Elapsed();
        RunWeights.Save(model, run.FinalWeights);
        using (var lc = data.LabelChanged.cpu())
        using (var ic = data.InputChanged.cpu())
            run.WriteExamples(lc.data<bool>().ToArray(), ic.data<bool>().ToArray(), firstFit);
        run.WriteLabelTransition(data.LabelTransition);
        var summary = new TrainSummary
        {
            Parameters = parameters, Task = data.Task == TrainingTask.Regression ? data.Task.Name : null, Epochs = epoch, Steps = step, StepsToFit = stepsToFit, EpochsToFit = epochsToFit,
            FinalTrainAccuracy = last!.TrainAccuracy, FinalTestAccuracy = last.TestAccuracy, FinalTrainLoss = last.TrainLoss,
            FinalTestLoss = last.TestLoss, BestTestAccuracy = bestEpoch > 0 ? best : double.NaN, BestTestEpoch = bestEpoch, WallSeconds = wall,
            TrainSamplesPerSecond = wall > 0 ? samples / wall : 0, FractionLabelsChanged = data.FractionLabelsChanged,
            FractionInputsChanged = data.FractionInputsChanged, LabelTransition = Jagged(data.LabelTransition), LearningRate = config.LearningRate.Value, TrainSize = n,
            TestSize = data.TestCount, Threads = threads, Device = device.type.ToString().ToLowerInvariant(), StopReason = stop,
            DivergedEpoch = diverged?.Epoch, DivergedStep = diverged?.Step, PlateauDropEpochs = dropEpochs.Count > 0 ? [.. dropEpochs] : null,
            Notice = stop switch
            {
                "diverged" => diverged!.Sentence(),
                "stalled" => string.Create(CultureInfo.InvariantCulture,
                    $"training {(data.Task == TrainingTask.Regression ? "R²" : "accuracy")} stalled at {(data.Task == TrainingTask.Regression ? bestTrain.ToString("0.0000", CultureInfo.InvariantCulture) : bestTrain.ToString("P2", CultureInfo.InvariantCulture))} (no gain since epoch {bestTrainEpoch}; learning rate now {last.LearningRate:G3}); the run stopped unfitted: {StallAdvice(config, dropEpochs.Count)}."),
                _ => null,
            },
        };
        phases.Lap(ref phases.Other);
        AtomicFile.WriteAllText(run.ProfileJson, JsonSerializer.Serialize(phases.Profile(epoch - (state?.Epoch ?? 0), threads), Json.Options));
        AtomicFile.WriteAllText(run.SummaryJson, JsonSerializer.Serialize(summary, Json.Options));
        return summary;
    }

    /// <summary>
    /// The paper's schedule: lr0 · decay^⌊samples / decay_every⌋ (staircase; decay_every = the paper's 50,000-image
    /// epoch); the constant schedule keeps lr0.
    /// </summary>
    static long[][] Jagged(long[,] m) =>
        [.. Enumerable.Range(0, m.GetLength(0)).Select(i => Enumerable.Range(0, m.GetLength(1)).Select(j => m[i, j]).ToArray())];

    public static double LearningRateAt(TrainConfig c, long samplesSeen) =>
        c.Schedule == LearningRateSchedule.Constant ? c.LearningRate!.Value
        : c.LearningRate!.Value * Math.Pow(c.LearningRateDecay, samplesSeen / c.DecayEvery);

    /// <summary>
    /// No new best training accuracy for <see cref="StallEpochs"/> epochs, or while the rate fell
    /// <see cref="StallRateDrop"/>× below the one at the last new best.
    /// </summary>
    public static bool Stalled(int epoch, int bestTrainEpoch, double rateAtBest, double rateNow) =>
        epoch > bestTrainEpoch && (epoch - bestTrainEpoch >= StallEpochs || rateNow * StallRateDrop <= rateAtBest);

    /// <summary>What to do about a stall: a constant rate if it decayed, else a lower target (near-identical images with different labels can make 100% unreachable).</summary>
    static string StallAdvice(TrainConfig c, int drops) =>
        (drops > 0 ? string.Create(CultureInfo.InvariantCulture, $"the rate was already cut {Math.Round(1 / Math.Pow(PlateauFactor, drops))}-fold at its plateaus, so ") : "")
        + (c.Schedule == LearningRateSchedule.Constant || c.LearningRateDecay == 1
            ? "accept a lower target (--fit-target 0.999); near-identical training images with different labels can make 100% unreachable"
            : "train with a constant rate (--lr-decay 1) or accept a lower target (--fit-target 0.999)");

    /// <summary>Where a run's loss first became non-finite.</summary>
    sealed record Divergence(int Epoch, long Step, double LearningRate, double Loss)
    {
        public string Sentence() => string.Create(CultureInfo.InvariantCulture,
            $"the training loss became {(double.IsNaN(Loss) ? "NaN" : "infinite")} at step {Step} of epoch {Epoch} (lr {LearningRate:G4}); lower --lr.");
    }

    /// <summary>
    /// Loss and accuracy over the whole training set (its possibly corrupted labels) and test set, in eval
    /// mode; updates each example's first epoch from which it stays correctly classified. With
    /// <paramref name="screened"/> the training-set numbers are those of a screened epoch (<see cref="Screen"/>).
    /// </summary>
    static EpochMetrics Evaluate(nn.Module<Tensor, Tensor> model, TrainingData data, int epoch, long step, double lr, double seconds, int[] firstFit, int evalBatch, PhaseClock? phases,
        (double Loss, double Accuracy, bool[] Correct)? screened = null)
    {
        model.eval();
        var (trainLoss, trainAcc, correct) = screened ?? Measure(model, data.Task, data.TrainEvalX, data.TrainY, evalBatch);
        phases?.Lap(ref phases.EvaluateTrain);
        var (testLoss, testAcc, _) = Measure(model, data.Task, data.TestX, data.TestY, evalBatch);
        phases?.Lap(ref phases.EvaluateTest);
        for (int i = 0; i < firstFit.Length; i++)
            firstFit[i] = correct[i] ? (firstFit[i] < 0 ? epoch : firstFit[i]) : -1;
        return new EpochMetrics(epoch, step, lr, trainLoss, trainAcc, testLoss, testAcc, seconds);
    }

    /// <summary>Images of the end-of-epoch check: at most this many of those likely still wrong.</summary>
    const int ScreenImages = 256;

    /// <summary>
    /// The screen of an until-fit epoch's training-set evaluation. The end-of-epoch model, in eval mode, classifies up
    /// to <see cref="ScreenImages"/> training images that the epoch's forward passes or the last epoch's end got wrong; if it still gets so many
    /// wrong that its accuracy over the whole training set is certainly below the fit target, the whole-set pass cannot
    /// find the fit and is skipped: the epoch records its running training loss and accuracy (the epoch's forward
    /// passes, in training mode, each by the model of its step) and each image's correctness in its forward pass
    /// instead. Otherwise (or when the forward passes got none wrong) null: the whole set is evaluated as before. So the
    /// fit — 100% (the target) of the model over the whole training set — is found at exactly the same epoch.
    /// </summary>
    static (double Loss, double Accuracy, bool[] Correct)? Screen(nn.Module<Tensor, Tensor> model, TrainingData data, Tensor order, List<Tensor> forwardCorrect,
        float[] stepLosses, int[] firstFit, int batch, double fitTarget, int evalBatch)
    {
        using var scope = NewDisposeScope();
        int n = data.TrainCount;
        var inOrder = cat(forwardCorrect, 0);                                             // bool (n) in the epoch's order
        if (inOrder.shape[0] != n) return null;
        var correct = zeros(n, dtype: ScalarType.Bool, device: inOrder.device).index_put_(inOrder, order);
        // the images most likely still wrong: wrong in this epoch's forward pass, or at the last epoch's end (near the fit
        // an image a step got wrong is often right after that step's update, while one the last epoch ended wrong on is not)
        var lastWrong = tensor(firstFit.Select(f => f < 0).ToArray()).to(inOrder.device);
        var wrong = correct.logical_not().logical_or_(lastWrong).nonzero().flatten();      // ascending image indices
        if (wrong.shape[0] == 0) return null;
        var probe = wrong.narrow(0, 0, Math.Min(ScreenImages, wrong.shape[0]));
        model.eval();
        var (_, _, probeCorrect) = Measure(model, data.Task, data.TrainEvalX.index_select(0, probe), data.TrainY.index_select(0, probe), evalBatch);
        int stillWrong = probeCorrect.Count(c => !c);
        if (!((n - stillWrong) / (double)n < fitTarget)) return null;                     // the model may meet the target: measure it
        var flags = correct.cpu().data<bool>().ToArray();
        double loss = 0;
        for (int i = 0; i < stepLosses.Length; i++) loss += stepLosses[i] * (double)Math.Min(batch, n - i * batch);
        return (loss / n, flags.Count(f => f) / (double)n, flags);
    }

    static (double Loss, double Accuracy, bool[] Correct) Measure(nn.Module<Tensor, Tensor> model, TrainingTask task, Tensor x, Tensor y, int evalBatch)
    {
        using var inference = inference_mode(); // no autograd bookkeeping at all
        using var scope = NewDisposeScope();
        using var one = 1.ToScalar(); // held for the calls (docs/torchsharp.md)
        long n = x.shape[0];
        var lossSum = zeros(1, dtype: ScalarType.Float64, device: x.device);
        var correct = new List<Tensor>();
        for (long start = 0; start < n; start += evalBatch)
        {
            long m = Math.Min(evalBatch, n - start);
            var logits = model.call(x.narrow(0, start, m));
            var yb = y.narrow(0, start, m);
            lossSum.add_(task.Loss(logits, yb, nn.Reduction.Sum).to_type(ScalarType.Float64), one);
            correct.Add(task.Correct(logits, yb));
        }
        var all = cat(correct, 0).cpu();
        var flags = all.data<bool>().ToArray();
        double sum = lossSum.item<double>();
        double accuracy = task.Score(sum, flags.Count(f => f), y); // classification: right / n; regression: R²
        return (sum / Math.Max(1, n), accuracy, flags);
    }

    /// <summary>Stopwatch laps charged to the phases of <see cref="TrainProfile"/>.</summary>
    sealed class PhaseClock
    {
        readonly Stopwatch watch = Stopwatch.StartNew();
        readonly TimeSpan cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        double lapStart;
        public double Setup, Steps, EvaluateTrain, EvaluateTest, Csv, Checkpoints, Other;
        public int CheckpointsWritten, ScreenedEpochs;

        /// <summary>Adds the time since the previous lap to <paramref name="phase"/>.</summary>
        public void Lap(ref double phase)
        {
            double now = watch.Elapsed.TotalSeconds;
            phase += now - lapStart;
            lapStart = now;
        }

        public TrainProfile Profile(int epochs, int threads) => new()
        {
            Setup = Setup, Steps = Steps, EvaluateTrain = EvaluateTrain, EvaluateTest = EvaluateTest, Csv = Csv, Checkpoints = Checkpoints,
            Finish = Other, Total = watch.Elapsed.TotalSeconds, ProcessCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds,
            Epochs = epochs, CheckpointsWritten = CheckpointsWritten, ScreenedEpochs = ScreenedEpochs, Threads = threads,
        };
    }

    /// <summary>
    /// The configuration minus what may change between an interrupted run and its resumption. The schedule is
    /// resolved while UntilFit still holds its value, and left out where it is the paper's or the rate is constant
    /// (what every checkpoint written before the option existed meant), so those checkpoints still resume.
    /// </summary>
    static string IdentityJson(TrainConfig c)
    {
        var node = JsonSerializer.SerializeToNode(c with
        {
            Schedule = c.Schedule,
            DataDir = null, Device = "cpu", Threads = 0, EvalBatchSize = 1000, Epochs = 1, MaxSteps = 0, UntilFit = false, FitTarget = 1,
        }, Json.Options)!.AsObject();
        if (c.Schedule == LearningRateSchedule.Paper || c.LearningRateDecay == 1) node.Remove(JsonNamingPolicy.SnakeCaseLower.ConvertName(nameof(TrainConfig.Schedule)));
        return node.ToJsonString(Json.Options);
    }

    static void WriteRunJson(RunFolder run, TrainConfig config, ModelSpec spec, long parameters, int threads, Device device, TrainingData data)
    {
        var doc = new
        {
            Config = config,
            Resolved = new
            {
                LearningRate = config.LearningRate,
                Crop = data.Crop,
                InputShape = new[] { data.InputShape.Channels, data.InputShape.Height, data.InputShape.Width },
                Classes = data.Classes,
                TrainSize = data.TrainCount,
                TestSize = data.TestCount,
                ModelFamily = spec.Family,
                Parameters = parameters,
            },
            Seed = config.Seed,
            Weights = new { Initial = RunWeights.InitialFile, Final = RunWeights.FinalFile }, // PyTorch state_dicts (torch.load)
            Threads = threads,
            Device = device.type.ToString().ToLowerInvariant(),
            Versions = TorchRuntime.Versions(),
            Machine = new { Environment.MachineName, Cores = Environment.ProcessorCount },
            Started = DateTimeOffset.UtcNow,
        };
        AtomicFile.WriteAllText(run.RunJson, JsonSerializer.Serialize(doc, Json.Options));
    }
}
