using System.Diagnostics;
using System.Text.Json;
using Shatter.Data;
using Shatter.Training;
using TorchSharp;
using static TorchSharp.torch;
using Shatter.Results;

namespace Shatter.Adversarial;

/// <summary>
/// Takes Arpit et al.'s measures during training, at the epochs of <see cref="TrainConfig.MemorizationEpochs"/>, on a
/// seeded subsample of <see cref="TrainConfig.MemorizationSamples"/> training examples (its pixels before whitening,
/// the labels the model is trained on), and keeps memorization.json in the run folder up to date after each. A callback
/// of the trainer (whoever runs one adds it: the train command, the sweep's executor); it measures nothing when the run
/// asks for no epochs. It uses its own generators and no parameter gradients, and its time is not training time, so a run
/// with it trains exactly as one without it.
/// </summary>
public sealed class MemorizationProbe : ITrainCallback, IDisposable
{
    Probe? probe;

    public void OnRunStart(TrainingContext run)
    {
        probe?.Dispose();
        probe = Probe.Create(run.Config, run.Task, run.Folder.Path, run.ResumedEpoch, run.Device);
    }

    public void OnEpoch(TrainingContext run, EpochMetrics row, bool complete)
    {
        // a --max-steps stop inside an epoch is not that epoch's end: the resumed run measures it
        if (probe is { } p && complete && p.Due(row.Epoch)) run.OffTheClock(() => p.Measure(run.Model, row.Epoch));
    }

    public void Dispose()
    {
        probe?.Dispose();
        probe = null;
    }

    /// <summary>The probe of one run: its subsample on the run's device, the search and the points so far.</summary>
    sealed class Probe : IDisposable
    {
        readonly TrainConfig config;
        readonly string path;
        readonly HashSet<int> epochs;
        readonly Tensor x, y, corrupted;
        readonly CriticalSearch search;
        readonly List<MemorizationPoint> points;

        Probe(TrainConfig config, string path, HashSet<int> epochs, Tensor x, Tensor y, Tensor corrupted, CriticalSearch search, List<MemorizationPoint> points)
        {
            (this.config, this.path, this.epochs, this.x, this.y, this.corrupted, this.search, this.points) = (config, path, epochs, x, y, corrupted, search, points);
        }

        /// <summary>
        /// The probe of a run, or null when it measures nothing. <paramref name="resumedEpoch"/>: the checkpoint's epoch when
        /// resuming (points measured up to it are kept; later ones are measured again), null for a fresh run.
        /// </summary>
        public static Probe? Create(TrainConfig config, ITrainingTask task, string runDir, int? resumedEpoch, Device device)
        {
            var list = config.MemorizationEpochList;
            if (list.Count == 0) return null;
            if (task is not Training.Tasks.ClassificationTask { Data: var data })
                throw new ShatterException($"--memorization-epochs measures classifiers (a critical sample changes class); {config.Dataset} is {(task.Name == "regression" ? "a regression table" : $"a {task.Name} task")}: drop it.");
            if (data.Text is not null)
                throw new ShatterException($"--memorization-epochs follows input gradients, which token ids of {config.Dataset} do not have; drop it for a text dataset.");
            using var scope = NewDisposeScope();
            int n = data.TrainCount, k = Math.Min(config.MemorizationSamples, n);
            using var gen = new Generator((ulong)Seeds.Derive(config.Seed, "memorization-subset"));
            var idx = randperm(n, generator: gen).narrow(0, 0, k);
            // the pixels before the run's whitening: prepared again without it (same subsets, corruptions and seeds)
            Tensor pixels;
            if (config.Whiten)
            {
                using var raw = TrainingData.Prepare(config with { Whiten = false }, CPU);
                pixels = raw.TrainEvalX.index_select(0, idx).to(device);
            }
            else pixels = data.TrainEvalX.index_select(0, idx.to(data.TrainEvalX.device)).to(device);
            var labels = data.TrainY.index_select(0, idx.to(data.TrainY.device)).to(device);
            var changed = data.LabelChanged.cpu().logical_or(data.InputChanged.cpu()).index_select(0, idx);
            var kept = new List<MemorizationPoint>();
            var path = Path.Combine(runDir, MemorizationFile.FileName);
            if (resumedEpoch is int at && MemorizationFile.Read(runDir) is { } earlier) kept.AddRange(earlier.Points.Where(p => p.Epoch <= at));
            else if (resumedEpoch is null && File.Exists(path)) File.Delete(path); // a fresh run: nothing of an earlier attempt stays
            var search = CriticalSearch.Paper with { Box = config.Inputs != Corruptions.InputMode.Gaussian };
            return new Probe(config, path, [.. list], pixels.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope(),
                changed.MoveToOuterDisposeScope(), search, kept);
        }

        public bool Due(int epoch) => epochs.Contains(epoch) && !points.Any(p => p.Epoch == epoch);

        /// <summary>Measures the model (left in eval mode) at <paramref name="epoch"/> and rewrites memorization.json.</summary>
        public IReadOnlyList<MemorizationPoint> Measure(nn.Module<Tensor, Tensor> model, int epoch)
        {
            var clock = Stopwatch.StartNew();
            model.eval();
            Tensor Forward(Tensor pixels) => model.call(config.Whiten ? Preprocessing.PerImageStandardization(pixels) : pixels);
            int batch = config.EvalBatchSize;
            using var sensitivity = Memorization.LossSensitivity(Forward, x, y, batch);
            using var noise = new Generator((ulong)Seeds.Derive(config.Seed, $"memorization/{epoch}"));
            using var critical = Memorization.Critical(Forward, x, search, noise, batch);
            using var criticalF = critical.to_type(ScalarType.Float64);
            using var clean = corrupted.logical_not();
            using var all = ones_like(corrupted);
            double seconds = clock.Elapsed.TotalSeconds;
            var measured = new List<MemorizationPoint>();
            foreach (var (group, mask) in new[] { ("all", all), ("clean", clean), ("corrupted", corrupted) })
            {
                var (csr, count) = Memorization.MeanOver(criticalF, mask);
                var (ls, _) = Memorization.MeanOver(sensitivity, mask);
                measured.Add(new MemorizationPoint(epoch, group, count, csr, ls, seconds));
            }
            points.AddRange(measured);
            var file = new MemorizationFile
            {
                Radius = search.Radius, Alpha = search.Alpha, Beta = search.Beta, MaxIterations = search.MaxIterations,
                Samples = (int)x.shape[0], PixelBox = search.Box, Points = [.. points],
            };
            AtomicFile.WriteAllText(path, JsonSerializer.Serialize(file, Json.Options));
            return measured;
        }

        public void Dispose()
        {
            x.Dispose(); y.Dispose(); corrupted.Dispose();
        }
    }
}
