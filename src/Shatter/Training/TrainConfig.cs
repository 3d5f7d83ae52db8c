using System.Text.Json.Serialization;
using Shatter.Corruptions;

namespace Shatter.Training;

/// <summary>
/// Everything that defines one training run, resolved (no "default" left open except <see cref="LearningRate"/>,
/// which <see cref="Resolve"/> fills from the model). Configuration flows one way: CLI or YAML → this
/// record → the trainer. Its canonical JSON is the run's identity (see RunIdentity) and is written as run.json.
/// </summary>
public sealed record TrainConfig
{
    // --- data ---------------------------------------------------------------------------------
    public string Dataset { get; init; } = "fashion-mnist";
    /// <summary>Folder of the dataset files (null: SHATTER_DATA, then the system folder). Not part of the identity.</summary>
    public string? DataDir { get; init; }
    /// <summary>Class-balanced training subset size; 0 = the whole training set.</summary>
    public int TrainSize { get; init; }
    /// <summary>Class-balanced test subset size; 0 = the whole test set.</summary>
    public int TestSize { get; init; }
    /// <summary>Centre crop side (paper: 28 for CIFAR's 32×32); 0 = no crop. Null: 28 for CIFAR, none otherwise.</summary>
    public int? Crop { get; init; }
    /// <summary>Per-image whitening (TensorFlow's per_image_standardization), paper: on.</summary>
    public bool Whiten { get; init; } = true;

    // --- randomization ------------------------------------------------------------------------
    /// <summary>Probability that a training label is redrawn; 1 = random labels.</summary>
    public double LabelNoise { get; init; }
    public LabelNoiseMode LabelNoiseMode { get; init; } = LabelNoiseMode.Uniform;
    /// <summary>
    /// CSV of the C×C transition matrix of <see cref="LabelNoiseMode.Matrix"/> (see <see cref="TransitionFile"/>); null otherwise.
    /// Left out of the JSON (and so of the run identity) when null, so runs without it keep their hashes.
    /// The identity holds the path, not the content: give an edited matrix a new file name.
    /// </summary>
    [IdentityNeutral(null)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Transition { get; init; }
    /// <summary>What a regression table's --label-noise P does to its targets: shuffle them (default) or replace them by Gaussian draws.</summary>
    [IdentityNeutral(Corruptions.TargetNoiseMode.Shuffle)]
    public TargetNoiseMode TargetNoiseMode { get; init; } = TargetNoiseMode.Shuffle;
    public InputMode Inputs { get; init; } = InputMode.True;
    /// <summary>The column a regression table (<c>--dataset csv:PATH</c>) predicts; null for image datasets and house-prices (MEDV). Left out of the JSON when null.</summary>
    [IdentityNeutral(null)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Target { get; init; }
    public PermutationUnit PermutationUnit { get; init; } = PermutationUnit.Pixel;
    public GaussianStatistics GaussianStatistics { get; init; } = GaussianStatistics.Global;
    public bool CorruptTestInputs { get; init; } = true;

    // --- model --------------------------------------------------------------------------------
    public string Model { get; init; } = "mlp-1x512";
    /// <summary>Dropout probability; 0 = off. Where each model applies it: see <see cref="Models.ModelOptions"/>.</summary>
    public double Dropout { get; init; }

    // --- optimisation -------------------------------------------------------------------------
    /// <summary>Initial learning rate; null = the model's paper default (0.1 Inception, 0.01 others).</summary>
    public double? LearningRate { get; init; }
    /// <summary>Multiplicative decay per <see cref="DecayEvery"/> training samples (paper: 0.95); 1 = none.</summary>
    public double LearningRateDecay { get; init; } = 0.95;
    /// <summary>Samples per decay step; the paper decays per CIFAR-10 epoch, i.e. every 50,000 images.</summary>
    public int DecayEvery { get; init; } = 50_000;
    /// <summary>
    /// How the decay is applied. Unset, it is the default for the stopping rule: <see cref="LearningRateSchedule.Constant"/>
    /// for <see cref="UntilFit"/> runs, <see cref="LearningRateSchedule.Paper"/> otherwise; it always reads (and is
    /// written to run.json) resolved. Paper is the identity-neutral value: what every run did before this option existed.
    /// </summary>
    [IdentityNeutral(LearningRateSchedule.Paper)]
    public LearningRateSchedule Schedule
    {
        get => schedule ?? (UntilFit ? LearningRateSchedule.Constant : LearningRateSchedule.Paper);
        init => schedule = value;
    }
    readonly LearningRateSchedule? schedule;
    public double Momentum { get; init; } = 0.9;
    public int BatchSize { get; init; } = 128;
    public double WeightDecay { get; init; }
    /// <summary>Random crop (from the uncropped image, padded when crop is off) in place of the centre crop.</summary>
    public bool AugmentCrop { get; init; }
    /// <summary>Random horizontal flip.</summary>
    public bool AugmentFlip { get; init; }

    // --- stopping -----------------------------------------------------------------------------
    /// <summary>Most epochs (full passes over the training set).</summary>
    public int Epochs { get; init; } = 100;
    /// <summary>Most optimisation steps; 0 = no limit.</summary>
    public long MaxSteps { get; init; }
    /// <summary>Stop once training accuracy (eval mode, whole training set) reaches <see cref="FitTarget"/>.</summary>
    public bool UntilFit { get; init; }
    /// <summary>Training accuracy that counts as fitted (1 = every example right).</summary>
    public double FitTarget { get; init; } = 1.0;
    /// <summary>
    /// Reduce on plateau: after this many epochs without a new best training accuracy the rate is cut
    /// <see cref="Trainer.PlateauFactor"/>-fold (at most <see cref="Trainer.PlateauDrops"/> times); 0 = never.
    /// Null = the default of the stopping rule: <see cref="Trainer.PlateauEpochsUntilFit"/> for until-fit runs at the
    /// constant schedule (their default), 0 otherwise — the paper's schedule stays the paper's (<see cref="PlateauEpochsResolved"/>). Left out of the identity while null (docs/schedules.md).
    /// </summary>
    [IdentityNeutral(null)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? PlateauEpochs { get; init; }
    /// <summary><see cref="PlateauEpochs"/> with its default applied.</summary>
    [JsonIgnore]
    public int PlateauEpochsResolved => PlateauEpochs ?? (UntilFit && Schedule == LearningRateSchedule.Constant ? Trainer.PlateauEpochsUntilFit : 0);

    // --- measures during training --------------------------------------------------------------
    /// <summary>
    /// Epochs after which Arpit et al. 2017's memorization measures (critical sample ratio, loss sensitivity) are taken,
    /// a comma list such as "0,1,5,10" (0: before training), kept sorted and without repeats; null: none. They change
    /// nothing the run learns, but a run that measures them is its own run folder (its identity holds the list).
    /// </summary>
    [IdentityNeutral(null)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MemorizationEpochs
    {
        get => memorizationEpochs;
        init => memorizationEpochs = CanonicalEpochs(value);
    }
    readonly string? memorizationEpochs;
    /// <summary>Training examples (a seeded subsample) the memorization measures are taken on.</summary>
    [IdentityNeutral(DefaultMemorizationSamples)]
    public int MemorizationSamples { get; init; } = DefaultMemorizationSamples;
    public const int DefaultMemorizationSamples = 500;

    /// <summary><see cref="MemorizationEpochs"/> parsed (empty when null); throws the one-sentence error of a bad list.</summary>
    [JsonIgnore]
    public IReadOnlyList<int> MemorizationEpochList => ParseEpochs(MemorizationEpochs)
        ?? throw new ShatterException($"--memorization-epochs must list epochs as whole numbers of at least 0 separated by commas (such as 0,1,5,10), not '{MemorizationEpochs}'.");

    /// <summary>"10, 1,5,1" → "1,5,10"; a text that does not parse is kept as written, for <see cref="Validate"/> to reject.</summary>
    static string? CanonicalEpochs(string? text) => text is null ? null : ParseEpochs(text) is { } list ? string.Join(',', list) : text;

    static List<int>? ParseEpochs(string? text)
    {
        if (text is null) return [];
        var list = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var e)) return null;
            list.Add(e);
        }
        return list.Count == 0 ? null : [.. list.Distinct().Order()];
    }

    // --- execution ----------------------------------------------------------------------------
    public long Seed { get; init; } = 1;
    /// <summary>cpu, cuda or auto. Not part of the identity.</summary>
    public string Device { get; init; } = "cpu";
    /// <summary>libtorch threads; 0 = libtorch's default. Not part of the identity.</summary>
    public int Threads { get; init; }
    /// <summary>Batch size for the full-set evaluations (does not change results; 256 measured fastest on 2 CPU cores for both MLP and AlexNet).</summary>
    public int EvalBatchSize { get; init; } = 256;

    /// <summary>Throws a one-sentence <see cref="ShatterException"/> for the first impossible value (named as its CLI option).</summary>
    public void Validate()
    {
        static void Check(bool ok, string message)
        {
            if (!ok) throw new ShatterException(message);
        }
        Check(TrainSize >= 0, $"--train-size must be 0 (all) or positive, not {TrainSize}.");
        Check(TestSize >= 0, $"--test-size must be 0 (all) or positive, not {TestSize}.");
        Check(Crop is null or >= 0, $"--crop must be 0 (none) or a positive side, not {Crop}.");
        Check(LabelNoise is >= 0 and <= 1, $"--label-noise must be a probability between 0 and 1, not {LabelNoise}.");
        Check(LabelNoiseMode != LabelNoiseMode.Matrix || !string.IsNullOrWhiteSpace(Transition),
            "--label-noise-mode matrix needs --transition FILE, a CSV of the C×C matrix whose row y is where a label of class y goes.");
        Check(Transition is null || LabelNoiseMode == LabelNoiseMode.Matrix,
            $"--transition is only read by --label-noise-mode matrix, not {Corruptions.LabelNoise.Name(LabelNoiseMode)}; drop it or use the matrix mode.");
        Check(TargetNoiseMode == TargetNoiseMode.Shuffle || Data.TabularDataset.IsTabular(Dataset),
            $"--target-noise gaussian replaces a regression table's targets; {Dataset} has class labels: use --label-noise-mode for them.");
        Check(Dropout is >= 0 and < 1, $"--dropout must be at least 0 and below 1, not {Dropout}.");
        Check(LearningRate is null or > 0, $"--lr must be positive, not {LearningRate}.");
        Check(LearningRateDecay is > 0 and <= 1, $"--lr-decay must be in (0, 1] (1 = constant), not {LearningRateDecay}.");
        Check(DecayEvery >= 1, $"--decay-every must be a positive number of training samples, not {DecayEvery}.");
        Check(Momentum is >= 0 and < 1, $"--momentum must be at least 0 and below 1, not {Momentum}.");
        Check(BatchSize >= 1, $"--batch-size must be positive, not {BatchSize}.");
        Check(WeightDecay >= 0, $"--weight-decay must be 0 or positive, not {WeightDecay}.");
        Check(Epochs >= 1, $"--epochs must be positive, not {Epochs}.");
        Check(MaxSteps >= 0, $"--max-steps must be 0 (no limit) or positive, not {MaxSteps}.");
        Check(FitTarget is > 0 and <= 1, $"--fit-target must be an accuracy in (0, 1], not {FitTarget}.");
        Check(PlateauEpochs is null or >= 0, $"--plateau must be 0 (never lower the rate) or a positive number of epochs, not {PlateauEpochs}.");
        Check(Threads >= 0, $"--threads must be 0 (libtorch's default) or positive, not {Threads}.");
        Check(EvalBatchSize >= 1, $"--eval-batch-size must be positive, not {EvalBatchSize}.");
        _ = MemorizationEpochList;
        Check(MemorizationSamples >= 1, $"--memorization-samples must be a positive number of training examples, not {MemorizationSamples}.");
        Check(MemorizationEpochs is not null || MemorizationSamples == DefaultMemorizationSamples,
            "--memorization-samples sizes the subsample of --memorization-epochs; add --memorization-epochs (such as 1,5,10) or drop it.");
    }
}
