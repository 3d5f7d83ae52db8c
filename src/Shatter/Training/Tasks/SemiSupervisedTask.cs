using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Shatter.Corruptions;
using Shatter.Models;
using Shatter.Training.SemiSupervised;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Training.Tasks;

/// <summary>
/// Semi-supervised classification (issue 21): <c>--labelled N</c> training images keep their labels — the label-noise
/// options corrupt those only (<see cref="LabelledSplit"/>, class-balanced) — and the rest are unlabelled. An epoch is one
/// pass over the labelled part in batches of B; each step also takes μB unlabelled images (a seeded order per epoch, read
/// cyclically). <c>--semi-method</c>:
/// <list type="bullet">
/// <item><c>supervised</c>: cross-entropy on the labelled batch alone (the unlabelled part is not used);</item>
/// <item><c>pseudo-label</c> (Lee 2013): one forward pass of both batches; the unlabelled images take their own argmax as
/// labels, weighted by α(t) (α_f = 3) rising linearly from t = E/10 to 3E/5 epochs (E = --epochs: Lee's T₁ = 100,
/// T₂ = 600 kept in ratio, for runs far shorter than his);</item>
/// <item><c>fixmatch</c> (Sohn et al. 2020): weak views of the labelled batch, weak and strong views of the unlabelled
/// one (<see cref="SemiSupervisedAugmentation"/>: Cutout and Gaussian noise stand in for RandAugment/CTAugment), one
/// forward pass of the three, ℓ = CE(labelled) + λ_u·FixMatch term (τ = --pseudo-threshold, λ_u = 1).</item>
/// </list>
/// A row's training score is the accuracy on the labelled part against its (noisy) labels: its fit; the test score the
/// test accuracy. Each evaluation also measures, in eval mode on unaugmented images, the corrupted labelled examples
/// predicted as their wrong label (memorized) and as their true one, the clean ones' fit, the unlabelled part's accuracy
/// against its never-read true labels, the share above τ and its accuracy: summary.json's "measures". The learning-rate
/// clock counts labelled examples, the same for every method. Checkpoints hold the per-labelled-example record and the
/// last measures (<see cref="ITrainingTask.SaveTo"/>'s TaskState), so a resumed run ends bit for bit as the uninterrupted one.
/// </summary>
public sealed class SemiSupervisedTask : ITrainingTask
{
    public const string Supervised = "supervised", PseudoLabel = "pseudo-label", FixMatch = "fixmatch";
    /// <summary>FixMatch's λ_u (google-research/fixmatch: wu = 1) and Lee's α_f.</summary>
    const double UnlabelledWeight = 1, LeeFinalWeight = 3;

    readonly TrainConfig config;
    readonly TrainingData data;
    readonly LabelledSplit split;
    /// <summary>int64 (N_l) the labelled part's true labels; (N_u) the unlabelled part's (measures only, never trained on).</summary>
    readonly Tensor labelledTrue, unlabelledTrue;
    /// <summary>Per labelled example: whose label the noise changed, whose image the input randomization changed.</summary>
    readonly bool[] changed, inputChanged;
    /// <summary>Per labelled example: the first epoch from which the model has got its (noisy) label right without a break; −1 while wrong.</summary>
    int[] firstFit;
    /// <summary>The last evaluation's measures (summary.json's "measures").</summary>
    Dictionary<string, double> measures = [];
    Tensor? labelledOrder, unlabelledOrder;
    Generator? augment;
    int epoch;

    public SemiSupervisedTask(TrainConfig config, Device device)
    {
        this.config = config;
        // the whole training set with its true labels; the noise goes to the labelled part only
        data = TrainingData.Prepare(config with { LabelNoise = 0, LabelNoiseMode = LabelNoiseMode.Uniform, Transition = null }, device);
        try
        {
            int n = data.TrainCount, classes = data.Classes, labelled = config.Labelled;
            if (labelled >= n)
                throw new ShatterException($"--labelled {labelled} leaves no unlabelled example among the {n} training images of {config.Dataset}; choose fewer than {n}, or drop --labelled to train on every label.");
            if (labelled < classes)
                throw new ShatterException($"--labelled {labelled} is fewer than the {classes} classes of {config.Dataset}, so some class would have no labelled example; choose at least {classes}.");
            // made outside any dispose scope of ours: its tensors live as long as the task
            split = LabelledSplit.Create(data.TrainY, classes, labelled, Seeds.Derive(config.Seed, "labelled"), balanced: true, config.LabelNoise,
                config.LabelNoiseMode, Seeds.Derive(config.Seed, "labels"), TrainingData.NoiseRows(config, data.DatasetName, classes),
                config.LabelNoiseMode == LabelNoiseMode.Instance ? data.TrainEvalX : null);
            using var scope = NewDisposeScope();
            labelledTrue = data.TrainY.index_select(0, split.Labelled).MoveToOuterDisposeScope();
            unlabelledTrue = data.TrainY.index_select(0, split.Unlabelled).MoveToOuterDisposeScope();
            changed = split.Noise.Changed.cpu().data<bool>().ToArray();
            inputChanged = data.InputChanged.cpu().index_select(0, split.Labelled.cpu()).data<bool>().ToArray();
            firstFit = Enumerable.Repeat(-1, labelled).ToArray();
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    int LabelledCount => (int)split.Labelled.shape[0];
    int UnlabelledCount => (int)split.Unlabelled.shape[0];
    string Method => config.SemiMethod;

    public string Name => "semi-supervised";
    public TaskScore Score => TaskScore.Accuracy;

    public IReadOnlyList<KeyValuePair<string, object?>> Resolved =>
    [
        new("crop", data.Crop), new("input_shape", new[] { data.InputShape.Channels, data.InputShape.Height, data.InputShape.Width }),
        new("classes", data.Classes), new("train_size", data.TrainCount), new("test_size", data.TestCount),
        new("labelled", LabelledCount), new("unlabelled", UnlabelledCount), new("semi_method", Method),
        new("unlabelled_per_step", Method == Supervised ? 0 : config.UnlabelledRatio * config.BatchSize),
        new("pseudo_label_ramp_epochs", Method == PseudoLabel ? new[] { Lee.RampStart, Lee.RampEnd } : null),
    ];

    /// <summary>Lee's ramp at a tenth and three fifths of the run's epochs: his T₁ = 100, T₂ = 600 kept in ratio (class summary).</summary>
    PseudoLabelOptions Lee => new(LeeFinalWeight, config.Epochs / 10.0, config.Epochs * 0.6);

    /// <summary>Set sizes of the whole training set; label changes and transition of the labelled part.</summary>
    public TaskSummary Summary => new(data.TrainCount, data.TestCount, split.Noise.FractionChanged, data.FractionInputsChanged,
        [.. Enumerable.Range(0, data.Classes).Select(i => Enumerable.Range(0, data.Classes).Select(j => split.Noise.Transition[i, j]).ToArray())]);

    /// <summary>summary.json's "measures": the last evaluation's (the labelled part's fit, memorized corrupted labels, pseudo-labels).</summary>
    public IReadOnlyDictionary<string, double>? SummaryMeasures(EpochMetrics last, long? stepsToFit) => measures.Count > 0 ? measures : null;

    public nn.Module<Tensor, Tensor> CreateModel() => ModelRegistry.Create(config.Model, data.InputShape, data.Classes, new ModelOptions(config.Dropout));

    public int StepsPerEpoch => (LabelledCount + config.BatchSize - 1) / config.BatchSize;

    public void BeginEpoch(int epoch, EpochRandom random)
    {
        this.epoch = epoch;
        augment = random.Stream("augment"); // always taken, so every checkpoint inside an epoch holds its state
        labelledOrder = randperm(LabelledCount, generator: random.Once("order")).to(data.TrainY.device);
        unlabelledOrder = Method == Supervised ? null : randperm(UnlabelledCount, generator: random.Once("unlabelled-order")).to(data.TrainY.device);
    }

    public TrainStep Step(nn.Module<Tensor, Tensor> model, int index)
    {
        int b = config.BatchSize, start = index * b, size = Math.Min(b, LabelledCount - start);
        var positions = labelledOrder!.narrow(0, start, size);
        var rows = split.Labelled.index_select(0, positions);                 // training-set indices (B)
        var y = split.Labels.index_select(0, positions);                      // their (noisy) labels (B)
        if (Method == Supervised)
            return new TrainStep(nn.functional.cross_entropy(model.call(Batch(rows)), y), size);
        // μB unlabelled images: this step's slice of the epoch's order, read cyclically (an epoch may need more than N_u)
        long m = (long)config.UnlabelledRatio * size, from = (long)index * config.UnlabelledRatio * b;
        using Scalar offset = from.ToScalar(), one = 1.ToScalar(), count = ((long)UnlabelledCount).ToScalar();
        var cyclic = Runtime.HeldScalars.Arange(m, data.TrainY.device).add(offset, one).remainder(count);
        var unlabelledRows = split.Unlabelled.index_select(0, unlabelledOrder!.index_select(0, cyclic));
        if (Method == PseudoLabel)
        {
            var output = model.call(cat([Batch(rows), Batch(unlabelledRows)], 0)); // one pass: Lee trains both in one network update
            var labelledLoss = nn.functional.cross_entropy(output.narrow(0, 0, size), y);
            double t = epoch - 1 + index / (double)StepsPerEpoch;                  // the run's clock in epochs
            return new TrainStep(PseudoLabelling.Combine(labelledLoss, PseudoLabelling.PseudoLabel(output.narrow(0, size, m)), PseudoLabelling.LeeWeight(t, Lee)), size);
        }
        // FixMatch: weakly augmented labelled batch; weak and strong views of the unlabelled batch; one forward pass
        var u = data.TrainEvalX.index_select(0, unlabelledRows);
        var views = cat([SemiSupervisedAugmentation.Weak(data.TrainEvalX.index_select(0, rows), augment!),
            SemiSupervisedAugmentation.Weak(u, augment!), SemiSupervisedAugmentation.Strong(u, augment!)], 0);
        var logits = model.call(views);
        var supervised = nn.functional.cross_entropy(logits.narrow(0, 0, size), y);
        var term = PseudoLabelling.FixMatch(logits.narrow(0, size, m), logits.narrow(0, size + m, m), config.PseudoThreshold);
        return new TrainStep(PseudoLabelling.Combine(supervised, term.Loss, UnlabelledWeight), size);
    }

    /// <summary>Training images at <paramref name="rows"/> as the supervised task feeds them (randomly cropped and flipped with --augment).</summary>
    Tensor Batch(Tensor rows)
    {
        var x = data.TrainX.index_select(0, rows);
        return config.AugmentCrop || config.AugmentFlip
            ? Augmentation.Apply(x, data.InputShape.Height, config.AugmentCrop, config.AugmentFlip, whiten: config.AugmentCrop && config.Whiten, augment!)
            : x;
    }

    public Scores Evaluate(nn.Module<Tensor, Tensor> model, Evaluation evaluation)
    {
        model.eval();
        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        var labelled = Logits(model, data.TrainEvalX.index_select(0, split.Labelled));             // (N_l, C)
        var predicted = labelled.argmax(1);
        var right = predicted.eq(split.Labels);
        var atTrue = predicted.eq(labelledTrue);
        var unlabelled = Logits(model, data.TrainEvalX.index_select(0, split.Unlabelled));         // (N_u, C)
        var confident = PseudoLabelling.ConfidentMask(unlabelled.softmax(1), config.PseudoThreshold);
        var unlabelledRight = unlabelled.argmax(1).eq(unlabelledTrue);
        double trainLoss = nn.functional.cross_entropy(labelled, split.Labels).item<float>();
        evaluation.Lap(TrainPhase.EvaluateTrain);
        var test = Logits(model, data.TestX);
        double testLoss = nn.functional.cross_entropy(test, data.TestY).item<float>();
        double testScore = Share(test.argmax(1).eq(data.TestY));
        evaluation.Lap(TrainPhase.EvaluateTest);

        var rightFlags = right.cpu().data<bool>().ToArray();
        var trueFlags = atTrue.cpu().data<bool>().ToArray();
        int corrupted = changed.Count(c => c);
        double Among(bool[] flags, bool corruptedOnes) =>
            Ratio(Enumerable.Range(0, flags.Length).Count(i => flags[i] && changed[i] == corruptedOnes), corruptedOnes ? corrupted : flags.Length - corrupted);
        double fit = Share(right), confidentRate = Share(confident), unlabelledAccuracy = Share(unlabelledRight);
        double confidentAccuracy = Ratio(confident.logical_and(unlabelledRight).sum().item<long>(), confident.sum().item<long>());
        measures = new Dictionary<string, double>
        {
            ["labelled"] = LabelledCount, ["unlabelled"] = UnlabelledCount,
            ["labelled_fit"] = fit,
            ["clean_labelled_fit"] = Among(rightFlags, corruptedOnes: false),
            ["corrupted_labelled"] = corrupted,
            ["corrupted_memorized"] = Among(rightFlags, corruptedOnes: true),    // predicted as their wrong label
            ["corrupted_true_label"] = Among(trueFlags, corruptedOnes: true),    // predicted as their true label
            ["test_accuracy"] = testScore,
            ["unlabelled_accuracy"] = unlabelledAccuracy,
            ["confident_rate"] = confidentRate,
            ["confident_accuracy"] = confidentAccuracy,
            // what the method trains the unlabelled part on: FixMatch the confident argmax, Lee every argmax, supervised nothing
            ["mask_rate"] = Method switch { FixMatch => confidentRate, PseudoLabel => 1, _ => 0 },
            ["pseudo_label_accuracy"] = Method switch { FixMatch => confidentAccuracy, PseudoLabel => unlabelledAccuracy, _ => double.NaN },
        };
        if (evaluation.Complete) // a --max-steps stop inside an epoch leaves the record as the last complete epoch left it
            for (int i = 0; i < firstFit.Length; i++)
                firstFit[i] = rightFlags[i] ? (firstFit[i] < 0 ? evaluation.Epoch : firstFit[i]) : -1;
        return new Scores(trainLoss, fit, testLoss, testScore);
    }

    /// <summary>Logits (n, C) of <paramref name="x"/> (n, C, H, W) in eval batches.</summary>
    Tensor Logits(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        var parts = new List<Tensor>();
        for (long start = 0; start < x.shape[0]; start += config.EvalBatchSize)
            parts.Add(model.call(x.narrow(0, start, Math.Min(config.EvalBatchSize, x.shape[0] - start))));
        return parts.Count == 0 ? zeros(0, data.Classes, device: x.device) : cat(parts, 0);
    }

    static double Share(Tensor flags) => flags.shape[0] == 0 ? double.NaN : flags.to_type(ScalarType.Float64).mean().item<double>();

    static double Ratio(long count, long of) => of == 0 ? double.NaN : count / (double)of;

    public Scores? Remeasure(nn.Module<Tensor, Tensor> model, Evaluation evaluation) => null;

    public bool Fitted(EpochMetrics row) => row.TrainAccuracy >= config.FitTarget;

    public CheckpointState SaveTo(CheckpointState state) => state with
    {
        TaskState = new JsonObject
        {
            ["first_fit"] = new JsonArray([.. firstFit.Select(e => (JsonNode)JsonValue.Create(e))]),
            // NaN (no corrupted example, nothing confident) as null, as summary.json writes it
            ["measures"] = new JsonObject(measures.Select(kv => KeyValuePair.Create(kv.Key, double.IsFinite(kv.Value) ? (JsonNode?)JsonValue.Create(kv.Value) : null))),
        },
    };

    public void RestoreFrom(CheckpointState state)
    {
        if (state.TaskState is not JsonObject saved || saved["first_fit"] is not JsonArray record || record.Count != firstFit.Length)
            throw new ShatterException("the checkpoint holds no semi-supervised record of this run's labelled part; resume with the options it was started with, or start a new run in another --out folder.");
        firstFit = [.. record.Select(e => e!.GetValue<int>())];
        measures = saved["measures"] is JsonObject m ? m.ToDictionary(kv => kv.Key, kv => kv.Value?.GetValue<double>() ?? double.NaN) : [];
    }

    public void WriteSetup(RunFolder run) => run.WriteSubsets(data.TrainIndices, data.TestIndices);

    /// <summary>
    /// labelled.csv (per labelled example: its training-set index, its label as trained, its true label, whether the noise
    /// changed it, the first epoch from which it stays fitted), examples.csv (the same examples in that order, the common
    /// columns) and label-transition.csv of the labelled part.
    /// </summary>
    public void WriteResults(RunFolder run)
    {
        using var rows = split.Labelled.cpu();
        using var labels = split.Labels.cpu();
        using var truth = labelledTrue.cpu();
        long[] r = rows.data<long>().ToArray(), l = labels.data<long>().ToArray(), t = truth.data<long>().ToArray();
        var sb = new StringBuilder("index,label,true_label,label_changed,first_fit_epoch\n");
        for (int i = 0; i < r.Length; i++)
            sb.Append(CultureInfo.InvariantCulture, $"{r[i]},{l[i]},{t[i]},{(changed[i] ? 1 : 0)},{firstFit[i]}\n");
        AtomicFile.WriteAllText(Path.Combine(run.Path, LabelledCsv), sb.ToString());
        run.WriteExamples(changed, inputChanged, firstFit);
        run.WriteLabelTransition(split.Noise.Transition);
    }

    /// <summary>The file of the labelled part's examples in the run folder.</summary>
    public const string LabelledCsv = "labelled.csv";

    public void Dispose()
    {
        labelledTrue.Dispose();
        unlabelledTrue.Dispose();
        split.Dispose();
        data.Dispose();
        GC.SuppressFinalize(this);
    }
}
