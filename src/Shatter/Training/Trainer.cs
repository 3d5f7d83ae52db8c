using System.Diagnostics;
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
/// stays correctly classified. SGD with momentum; learning rate lr0·decay^⌊samples seen / decay_every⌋.
/// Same config and seed give the same run; an interrupted run resumes from its last checkpoint (after
/// the first epoch, then every <see cref="CheckpointEverySeconds"/>) and ends as the uninterrupted one would.
/// </summary>
public static class Trainer
{
    /// <summary>Steps between two observer calls (reading a loss synchronises the device).</summary>
    const int ObserveEvery = 20;

    /// <summary>
    /// Wall seconds between two checkpoints after the first epoch's. Resuming replays the epochs after the
    /// last checkpoint exactly (every epoch's randomness comes from (seed, epoch)), so a sparser cadence
    /// loses at most this much work to a kill, and saves writing weights and momentum every epoch
    /// (measured in experiments/README.md: 2–3% of a small MLP run).
    /// </summary>
    public const double CheckpointEverySeconds = 30;

    public static TrainSummary Run(TrainConfig config, string outDir, bool resume = false, ITrainObserver? observer = null, CancellationToken cancellationToken = default)
    {
        config.Validate();
        var phases = new PhaseClock();
        var spec = ModelRegistry.Describe(config.Model);
        config = config with { LearningRate = config.LearningRate ?? spec.DefaultLearningRate };
        int threads = TorchRuntime.SetThreads(config.Threads);
        var device = TorchRuntime.ResolveDevice(config.Device);
        var run = new RunFolder(outDir);
        Directory.CreateDirectory(outDir);
        using var folderLock = run.Lock();
        if (!resume && File.Exists(run.SummaryJson))
            throw new ShatterException($"{outDir} already holds a finished run (summary.json); choose another --out folder, or delete it to train again.");

        using var data = TrainingData.Prepare(config, device);
        torch.manual_seed(Seeds.Derive(config.Seed, "init"));
        using var model = ModelRegistry.Create(config.Model, data.InputShape, data.Classes, new ModelOptions(config.Dropout));
        model.to(device);
        long parameters = ModelRegistry.ParameterCount(model);
        using var optimizer = optim.SGD(model.parameters(), config.LearningRate!.Value, config.Momentum, weight_decay: config.WeightDecay);

        var identity = IdentityJson(config);
        var state = resume ? Checkpoint.Load(run, model, optimizer) : null;
        if (state is not null && state.ConfigJson != identity)
            throw new ShatterException($"{outDir} holds a checkpoint of a different configuration; resume with the options it was started with (see its run.json), or choose another --out folder.");
        WriteRunJson(run, config, spec, parameters, threads, device, data);

        int n = data.TrainCount, batch = config.BatchSize;
        int stepsPerEpoch = (n + batch - 1) / batch;
        var firstFit = state?.FirstFitEpoch ?? Enumerable.Repeat(-1, n).ToArray();
        int epoch = state?.Epoch ?? 0;
        long step = state?.Step ?? 0, samples = state?.SamplesProcessed ?? 0;
        long? stepsToFit = state?.StepsToFit;
        int? epochsToFit = state?.EpochsToFit;
        double best = state?.BestTestAccuracy ?? -1, elapsedBefore = state?.ElapsedSeconds ?? 0;
        int bestEpoch = state?.BestTestEpoch ?? 0;
        EpochMetrics? last = state?.Last;
        string stop = "epochs";
        var clock = new Stopwatch();
        double Elapsed() => elapsedBefore + clock.Elapsed.TotalSeconds;

        if (state is null)
        {
            run.StartCsvs();
            last = Evaluate(model, data, 0, 0, LearningRateAt(config, 0), 0, firstFit, config.EvalBatchSize, null);
            Record(last);
        }
        else
        {
            run.TruncateCsvs(state.Epoch, state.Step);
        }
        clock.Start(); // wall_seconds: the epoch loop (training and its evaluations), not the set-up or epoch 0
        phases.Lap(ref phases.Setup);

        void Record(EpochMetrics m)
        {
            run.AppendEpoch(m);
            observer?.OnEpoch(m, config.Epochs);
            if (m.Epoch > 0 && m.TestAccuracy > best) (best, bestEpoch) = (m.TestAccuracy, m.Epoch);
            if (m.TrainAccuracy >= config.FitTarget && stepsToFit is null) (stepsToFit, epochsToFit) = (m.Step, m.Epoch);
        }

        bool Done()
        {
            if (config.UntilFit && stepsToFit is not null) { stop = "fit"; return true; }
            if (config.MaxSteps > 0 && step >= config.MaxSteps) { stop = "max-steps"; return true; }
            if (epoch >= config.Epochs) { stop = "epochs"; return true; }
            return false;
        }

        var sinceCheckpoint = new Stopwatch();
        using var stepLosses = zeros(stepsPerEpoch, device: device);
        var rates = new List<double>(stepsPerEpoch);
        int side = data.InputShape.Height;
        bool augmentCrop = config.AugmentCrop, augmentFlip = config.AugmentFlip;
        while (!Done())
        {
            epoch++;
            using var epochScope = NewDisposeScope(); // whatever an epoch allocates dies with it
            // Everything random in an epoch comes from generators seeded by (seed, epoch), so a resumed
            // run draws exactly what the uninterrupted one drew.
            using var orderGen = new torch.Generator((ulong)Seeds.Derive(config.Seed, $"order/{epoch}"));
            using var augmentGen = new torch.Generator((ulong)Seeds.Derive(config.Seed, $"augment/{epoch}"));
            torch.manual_seed(Seeds.Derive(config.Seed, $"dropout/{epoch}"));
            using var order = randperm(n, generator: orderGen).to(device);
            model.train();
            rates.Clear();
            long firstStep = step + 1;
            int taken = 0;
            for (int start = 0; start < n; start += batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (config.MaxSteps > 0 && step >= config.MaxSteps) break;
                using var scope = NewDisposeScope();
                double lr = LearningRateAt(config, samples);
                foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
                var idx = order.narrow(0, start, Math.Min(batch, n - start));
                var x = data.TrainX.index_select(0, idx);
                if (augmentCrop || augmentFlip)
                    x = Augmentation.Apply(x, side, augmentCrop, augmentFlip, whiten: augmentCrop && config.Whiten, augmentGen);
                var y = data.TrainY.index_select(0, idx);
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(model.call(x), y);
                loss.backward();
                optimizer.step();
                stepLosses[taken].copy_(loss.detach());
                rates.Add(lr);
                taken++;
                step++;
                samples += idx.shape[0];
                if (observer is not null && step % ObserveEvery == 0) observer.OnStep(step, epoch, loss.item<float>());
            }
            phases.Lap(ref phases.Steps);
            using (var losses = stepLosses.narrow(0, 0, taken).cpu())
                run.AppendSteps(firstStep, epoch, rates, losses.data<float>().ToArray());
            phases.Lap(ref phases.Csv);
            last = Evaluate(model, data, epoch, step, LearningRateAt(config, samples), Elapsed(), firstFit, config.EvalBatchSize, phases);
            Record(last);
            phases.Lap(ref phases.Csv);
            if (phases.CheckpointsWritten > 0 && sinceCheckpoint.Elapsed.TotalSeconds < CheckpointEverySeconds) continue;
            Checkpoint.Save(run, new CheckpointState
            {
                Epoch = epoch, Step = step, StepsToFit = stepsToFit, EpochsToFit = epochsToFit, BestTestAccuracy = best,
                BestTestEpoch = bestEpoch, ElapsedSeconds = Elapsed(), SamplesProcessed = samples, FirstFitEpoch = firstFit,
                Last = last, ConfigJson = identity,
            }, model, optimizer);
            phases.Lap(ref phases.Checkpoints);
            phases.CheckpointsWritten++;
            sinceCheckpoint.Restart();
        }

        double wall = Elapsed();
        using (var lc = data.LabelChanged.cpu())
        using (var ic = data.InputChanged.cpu())
            run.WriteExamples(lc.data<bool>().ToArray(), ic.data<bool>().ToArray(), firstFit);
        var summary = new TrainSummary
        {
            Parameters = parameters, Epochs = epoch, Steps = step, StepsToFit = stepsToFit, EpochsToFit = epochsToFit,
            FinalTrainAccuracy = last!.TrainAccuracy, FinalTestAccuracy = last.TestAccuracy, FinalTrainLoss = last.TrainLoss,
            FinalTestLoss = last.TestLoss, BestTestAccuracy = Math.Max(best, 0), BestTestEpoch = bestEpoch, WallSeconds = wall,
            TrainSamplesPerSecond = wall > 0 ? samples / wall : 0, FractionLabelsChanged = data.FractionLabelsChanged,
            FractionInputsChanged = data.FractionInputsChanged, LearningRate = config.LearningRate.Value, TrainSize = n,
            TestSize = data.TestCount, Threads = threads, Device = device.type.ToString().ToLowerInvariant(), StopReason = stop,
        };
        phases.Lap(ref phases.Other);
        AtomicFile.WriteAllText(run.ProfileJson, JsonSerializer.Serialize(phases.Profile(epoch - (state?.Epoch ?? 0), threads), Json.Options));
        AtomicFile.WriteAllText(run.SummaryJson, JsonSerializer.Serialize(summary, Json.Options));
        return summary;
    }

    /// <summary>The paper's schedule: lr0 · decay^⌊samples / decay_every⌋ (staircase; decay_every = the paper's 50,000-image epoch).</summary>
    public static double LearningRateAt(TrainConfig c, long samplesSeen) =>
        c.LearningRate!.Value * Math.Pow(c.LearningRateDecay, samplesSeen / c.DecayEvery);

    /// <summary>
    /// Loss and accuracy over the whole training set (its possibly corrupted labels) and test set, in eval
    /// mode; updates each example's first epoch from which it stays correctly classified.
    /// </summary>
    static EpochMetrics Evaluate(nn.Module<Tensor, Tensor> model, TrainingData data, int epoch, long step, double lr, double seconds, int[] firstFit, int evalBatch, PhaseClock? phases)
    {
        model.eval();
        var (trainLoss, trainAcc, correct) = Measure(model, data.TrainEvalX, data.TrainY, evalBatch);
        phases?.Lap(ref phases.EvaluateTrain);
        var (testLoss, testAcc, _) = Measure(model, data.TestX, data.TestY, evalBatch);
        phases?.Lap(ref phases.EvaluateTest);
        for (int i = 0; i < firstFit.Length; i++)
            firstFit[i] = correct[i] ? (firstFit[i] < 0 ? epoch : firstFit[i]) : -1;
        return new EpochMetrics(epoch, step, lr, trainLoss, trainAcc, testLoss, testAcc, seconds);
    }

    static (double Loss, double Accuracy, bool[] Correct) Measure(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y, int evalBatch)
    {
        using var inference = inference_mode(); // no autograd bookkeeping at all
        using var scope = NewDisposeScope();
        long n = x.shape[0];
        var lossSum = zeros(1, dtype: ScalarType.Float64, device: x.device);
        var correct = new List<Tensor>();
        for (long start = 0; start < n; start += evalBatch)
        {
            long m = Math.Min(evalBatch, n - start);
            var logits = model.call(x.narrow(0, start, m));
            var yb = y.narrow(0, start, m);
            lossSum.add_(nn.functional.cross_entropy(logits, yb, reduction: nn.Reduction.Sum).to_type(ScalarType.Float64));
            correct.Add(logits.argmax(1).eq(yb));
        }
        var all = cat(correct, 0).cpu();
        var flags = all.data<bool>().ToArray();
        double accuracy = n == 0 ? 0 : flags.Count(f => f) / (double)n;
        return (lossSum.item<double>() / Math.Max(1, n), accuracy, flags);
    }

    /// <summary>Stopwatch laps charged to the phases of <see cref="TrainProfile"/>.</summary>
    sealed class PhaseClock
    {
        readonly Stopwatch watch = Stopwatch.StartNew();
        readonly TimeSpan cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        double lapStart;
        public double Setup, Steps, EvaluateTrain, EvaluateTest, Csv, Checkpoints, Other;
        public int CheckpointsWritten;

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
            Epochs = epochs, CheckpointsWritten = CheckpointsWritten, Threads = threads,
        };
    }

    /// <summary>The configuration minus what may change between an interrupted run and its resumption.</summary>
    static string IdentityJson(TrainConfig c) => JsonSerializer.Serialize(c with
    {
        DataDir = null, Device = "cpu", Threads = 0, EvalBatchSize = 1000, Epochs = 1, MaxSteps = 0, UntilFit = false, FitTarget = 1,
    }, Json.Options);

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
            Threads = threads,
            Device = device.type.ToString().ToLowerInvariant(),
            Versions = TorchRuntime.Versions(),
            Machine = new { Environment.MachineName, Cores = Environment.ProcessorCount },
            Started = DateTimeOffset.UtcNow,
        };
        AtomicFile.WriteAllText(run.RunJson, JsonSerializer.Serialize(doc, Json.Options));
    }
}
