using System.Text.Json.Serialization;
using Shatter.Corruptions;

namespace Shatter.Training;

/// <summary>
/// Everything that defines one training run, resolved (no "default" left open except <see cref="LearningRate"/>,
/// which <see cref="Resolve"/> fills from the model). Configuration flows one way: CLI or YAML → this
/// record → the trainer. Its canonical JSON is the run's identity (see RunIdentity) and is written as run.json.
/// <para>
/// Every option is described once, here: its default is the property's initial value, its command-line spelling,
/// help and range are its <see cref="OptionAttribute"/>, its spec key is its snake_case name. <c>shatter train</c>'s
/// options, the spec keys, <see cref="Validate"/>'s range checks and docs/options.md are made from these
/// (<see cref="TrainOption"/>). A new option is a property with an [Option] here and one line in TrainCommand.Settings.
/// </para>
/// </summary>
public sealed record TrainConfig
{
    // --- data ---------------------------------------------------------------------------------
    [Option("--dataset <NAME>", "fashion-mnist, mnist, cifar10, cifar100, cifar100-coarse; your own images: folder:PATH (PATH/train/<class>/*.png|jpg, PATH/test/<class>/..., or PATH/<class>/... split 80/20), npz:PATH (x_train, y_train, x_test, y_test); text: fortunes, csv:PATH (with --text and --label), folder:PATH of .txt files; regression: house-prices, csv:PATH (with --target); reinforcement learning: maze (see --maze).", Lowercase = true)]
    public string Dataset { get; init; } = "fashion-mnist";
    /// <summary>Folder of the dataset files (null: SHATTER_DATA, then the system folder). Not part of the identity.</summary>
    [Option("--data-dir <DIR>", "Folder of the dataset files.", Default = "$SHATTER_DATA, then /usr/share/datasets/<name>")]
    public string? DataDir { get; init; }
    /// <summary>
    /// The side every image of a <c>folder:PATH</c> dataset is resized (shorter side) and centre-cropped to; null keeps the
    /// files' own size, which must then be one for all (docs/user-data.md). Left out of the JSON while null.
    /// </summary>
    [IdentityNeutral(null)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Option("--image-size <N>", "With --dataset folder:PATH: resize each image's shorter side to N and centre-crop it to N×N.", Min = 1, Max = Data.ImageFolderOptions.MaxImageSize, Range = "a side from 1 to 4096 pixels", Default = "the files' own size")]
    public int? ImageSize { get; init; }
    /// <summary>Class-balanced training subset size; 0 = the whole training set.</summary>
    [Option("--train-size <N>", "Class-balanced training subset (0: all).", Min = 0, Range = "0 (all) or positive")]
    public int TrainSize { get; init; }
    /// <summary>Class-balanced test subset size; 0 = the whole test set.</summary>
    [Option("--test-size <N>", "Class-balanced test subset (0: all).", Min = 0, Range = "0 (all) or positive")]
    public int TestSize { get; init; }
    /// <summary>Centre crop side (paper: 28 for CIFAR's 32×32); 0 = no crop. Null: 28 for CIFAR, none otherwise.</summary>
    [Option("--crop <N>", "Centre crop side (0: none).", Min = 0, Range = "0 (none) or a positive side", Default = "28 for CIFAR as in the paper, none otherwise")]
    public int? Crop { get; init; }
    /// <summary>Per-image whitening (TensorFlow's per_image_standardization), paper: on.</summary>
    [Option("--no-whiten", "Skip the per-image whitening (on by default, as in the paper).", Negated = true)]
    public bool Whiten { get; init; } = true;

    // --- randomization ------------------------------------------------------------------------
    /// <summary>Probability that a training label is redrawn; 1 = random labels.</summary>
    [Option("--label-noise <P>", "Probability that a training label is redrawn (1: random labels).", Min = 0, Max = 1, Range = "a probability between 0 and 1")]
    public double LabelNoise { get; init; }
    [Option("--label-noise-mode <MODE>", "uniform (paper: any class, may equal the true one), different (always another class), pair-flip (c → c+1), asymmetric (confusable classes), matrix (--transition) or instance (Xia et al. 2020).")]
    public LabelNoiseMode LabelNoiseMode { get; init; } = LabelNoiseMode.Uniform;
    /// <summary>
    /// CSV of the C×C transition matrix of <see cref="LabelNoiseMode.Matrix"/> (see <see cref="TransitionFile"/>); null otherwise.
    /// Left out of the JSON (and so of the run identity) when null, so runs without it keep their hashes.
    /// The identity holds the path, not the content: give an edited matrix a new file name.
    /// </summary>
    [IdentityNeutral(null)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Option("--transition <FILE>", "CSV of the C×C transition matrix for --label-noise-mode matrix (row y: where a label of class y goes; rows sum to 1).", Default = "none")]
    public string? Transition { get; init; }
    /// <summary>What a regression table's --label-noise P does to its targets: shuffle them (default) or replace them by Gaussian draws.</summary>
    [IdentityNeutral(Corruptions.TargetNoiseMode.Shuffle)]
    [Option("--target-noise <MODE>", "For a regression table: what --label-noise P does to a fraction P of its targets: shuffle (permuted among themselves) or gaussian (replaced by normal draws of the targets' mean and variance).")]
    public TargetNoiseMode TargetNoiseMode { get; init; } = TargetNoiseMode.Shuffle;
    [Option("--inputs <MODE>", "true, shuffled (one permutation of the pixels for all images), random (a permutation per image) or gaussian; for texts shuffled-tokens (each text's tokens reordered) or random-tokens (drawn from the training unigram).")]
    public InputMode Inputs { get; init; } = InputMode.True;
    /// <summary>The column a regression table (<c>--dataset csv:PATH</c>) predicts; null for image datasets and house-prices (MEDV). Left out of the JSON when null.</summary>
    [IdentityNeutral(null)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Option("--target <COLUMN>", "With --dataset csv:PATH (a regression table): the column to predict.", Default = "none (house-prices: MEDV)")]
    public string? Target { get; init; }
    /// <summary>
    /// The column of texts of a text table (<c>--dataset csv:PATH</c>): naming it makes csv:PATH a text dataset
    /// (<see cref="Data.TextTable"/>) rather than a regression table. Left out of the JSON when null.
    /// </summary>
    [IdentityNeutral(null)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Option("--text <COLUMN>", "With --dataset csv:PATH: the column of texts (a text classification table, with --label).", Default = "none")]
    public string? TextColumn { get; init; }
    /// <summary>The class column of a text table (with <see cref="TextColumn"/>). Left out of the JSON when null.</summary>
    [IdentityNeutral(null)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Option("--label <COLUMN>", "With --dataset csv:PATH --text COLUMN: the column of each text's class.", Default = "none")]
    public string? LabelColumn { get; init; }
    /// <summary>GPT-2 tokens kept per text (<see cref="Data.TextOptions.MaxTokens"/>); images and tables ignore it, so they refuse another value.</summary>
    [IdentityNeutral(Data.TextOptions.DefaultMaxTokens)]
    [Option("--max-tokens <N>", "For text datasets: GPT-2 tokens kept per text (longer texts are truncated, shorter ones padded).", Min = 1, Max = Data.TextOptions.MaxMaxTokens, Range = "from 1 to 4096")]
    public int MaxTokens { get; init; } = Data.TextOptions.DefaultMaxTokens;

    /// <summary>How a text dataset of this run is read (--max-tokens, --text, --label; the documented split).</summary>
    public Data.TextOptions TextOptions() => new(MaxTokens, TextColumn: TextColumn, LabelColumn: LabelColumn);
    [Option("--permute <UNIT>", "What shuffled/random permutations move: pixel (whole pixels) or value (single channel values).")]
    public PermutationUnit PermutationUnit { get; init; } = PermutationUnit.Pixel;
    [Option("--gaussian-stats <S>", "global or per-channel mean and variance for gaussian inputs.", Noun = "gaussian statistics")]
    public GaussianStatistics GaussianStatistics { get; init; } = GaussianStatistics.Global;
    /// <summary>With <c>--dataset maze</c>: what the levels randomize (<see cref="Tasks.MazeTask"/>). Left out of the identity at none.</summary>
    [IdentityNeutral(Environments.MazeRandomization.None)]
    [Option("--maze <MODE>", "With --dataset maze: none (true levels), random-goal (the goal hidden, at a random cell of each level: the random-label analogue) or shuffled-cells (one permutation of the grid cells for every observation).")]
    public Environments.MazeRandomization Maze { get; init; } = Environments.MazeRandomization.None;
    [Option("--clean-test-inputs", "Leave test images unrandomized (default: the test set gets the same input mode).", Negated = true)]
    public bool CorruptTestInputs { get; init; } = true;

    // --- model --------------------------------------------------------------------------------
    [Option("--model <NAME>", "A model of the zoo (see 'shatter models'), or torchscript:PATH, a model saved by torch.jit.script(model).save(PATH).", Lowercase = true)]
    public string Model { get; init; } = "mlp-1x512";
    /// <summary>
    /// SHA-256 of a <c>torchscript:PATH</c> model's file (null for the zoo's models): part of the run's identity, so a
    /// changed file is a new run. Not an option: <see cref="WithModelHash"/> reads it from the file when the run is planned
    /// (a spec's expansion) or started (the trainer), and the model is checked against it whenever it is loaded.
    /// </summary>
    [IdentityNeutral(null)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ModelSha256 { get; init; }

    /// <summary>
    /// This configuration with <see cref="ModelSha256"/> read from a <c>torchscript:PATH</c> model's file when it is not
    /// known yet; unchanged for the zoo's models.
    /// </summary>
    public TrainConfig WithModelHash() =>
        ModelSha256 is null && Models.TorchScriptModel.IsTorchScript(Model)
            ? this with { ModelSha256 = Models.TorchScriptModel.FileSha256(Models.TorchScriptModel.PathOf(Model)) }
            : this;

    /// <summary>Dropout probability; 0 = off. Where each model applies it: see <see cref="Models.ModelOptions"/>.</summary>
    [Option("--dropout <P>", "Dropout on the fully connected layers (0: off).", Min = 0, Max = 1, MaxExclusive = true)]
    public double Dropout { get; init; }

    // --- optimisation -------------------------------------------------------------------------
    /// <summary>Initial learning rate; null = the model's paper default (0.1 Inception, 0.01 others).</summary>
    [Option("--lr <X>", "Initial learning rate.", Min = 0, MinExclusive = true, Default = "the model's: 0.1 Inception, 0.01 others")]
    public double? LearningRate { get; init; }
    /// <summary>Multiplicative decay per <see cref="DecayEvery"/> training samples (paper: 0.95); 1 = none.</summary>
    [Option("--lr-decay <X>", "Decay factor per --decay-every samples (1: constant).", Min = 0, MinExclusive = true, Max = 1, Range = "in (0, 1] (1 = constant)")]
    public double LearningRateDecay { get; init; } = 0.95;
    /// <summary>Samples per decay step; the paper decays per CIFAR-10 epoch, i.e. every 50,000 images.</summary>
    [Option("--decay-every <N>", "Training samples per decay (the paper's CIFAR-10 epoch: 50000).", Min = 1, Range = "a positive number of training samples")]
    public int DecayEvery { get; init; } = 50_000;
    /// <summary>
    /// How the decay is applied. Unset, it is the default for the stopping rule: <see cref="LearningRateSchedule.Constant"/>
    /// for <see cref="UntilFit"/> runs, <see cref="LearningRateSchedule.Paper"/> otherwise; it always reads (and is
    /// written to run.json) resolved. Paper is the identity-neutral value: what every run did before this option existed.
    /// </summary>
    [IdentityNeutral(LearningRateSchedule.Paper)]
    [Option("--schedule <S>", "paper (×--lr-decay per --decay-every samples) or constant (the initial rate throughout).", Noun = "schedule", Default = "constant with --until-fit, paper otherwise")]
    public LearningRateSchedule Schedule
    {
        get => schedule ?? (UntilFit ? LearningRateSchedule.Constant : LearningRateSchedule.Paper);
        init => schedule = value;
    }
    readonly LearningRateSchedule? schedule;
    [Option("--momentum <X>", "SGD momentum.", Min = 0, Max = 1, MaxExclusive = true)]
    public double Momentum { get; init; } = 0.9;
    [Option("--batch-size <N>", "Training batch size.", Min = 1)]
    public int BatchSize { get; init; } = 128;
    [Option("--weight-decay <X>", "L2 weight decay.", Min = 0, Range = "0 or positive")]
    public double WeightDecay { get; init; }
    /// <summary>Random crop (from the uncropped image, padded when crop is off) in place of the centre crop. Set through <see cref="Augment"/>.</summary>
    public bool AugmentCrop { get; init; }
    /// <summary>Random horizontal flip. Set through <see cref="Augment"/>.</summary>
    public bool AugmentFlip { get; init; }
    /// <summary>
    /// <see cref="AugmentCrop"/> and <see cref="AugmentFlip"/> as the one option a user writes: "crop", "flip", "crop,flip" or
    /// "none". Not in the JSON (the two flags are), so it leaves every identity as it was.
    /// </summary>
    [JsonIgnore]
    [Option("--augment <LIST>", "crop, flip, crop,flip or none: random crops in place of the centre crop, horizontal flips.", Words = ["crop", "flip", "none"], List = true, Noun = "augmentation")]
    public string Augment
    {
        get => AugmentCrop && AugmentFlip ? "crop,flip" : AugmentCrop ? "crop" : AugmentFlip ? "flip" : "none";
        init
        {
            var words = value.Split(',', StringSplitOptions.TrimEntries);
            AugmentCrop = words.Contains("crop");
            AugmentFlip = words.Contains("flip");
        }
    }

    // --- stopping -----------------------------------------------------------------------------
    /// <summary>
    /// Most epochs (full passes over the training set). Unset, it is the default for the stopping rule, on the command line
    /// and in a spec alike: <see cref="UntilFitEpochs"/> for <see cref="UntilFit"/> runs (a cap rather than a plan),
    /// <see cref="PlannedEpochs"/> otherwise; it always reads (and is written to run.json) resolved.
    /// </summary>
    [Option("--epochs <N>", "Most epochs (full passes over the training set); with --until-fit a cap rather than a plan.", Min = 1, Default = "100; 1000 with --until-fit")]
    public int Epochs
    {
        get => epochs ?? (UntilFit ? UntilFitEpochs : PlannedEpochs);
        init => epochs = value;
    }
    readonly int? epochs;
    public const int PlannedEpochs = 100, UntilFitEpochs = 1000;
    /// <summary>Most optimisation steps; 0 = no limit.</summary>
    [Option("--max-steps <N>", "Most optimisation steps (0: no limit).", Min = 0, Range = "0 (no limit) or positive")]
    public long MaxSteps { get; init; }
    /// <summary>Stop once training accuracy (eval mode, whole training set) reaches <see cref="FitTarget"/>.</summary>
    [Option("--until-fit", "Stop once the whole training set is classified correctly (see --fit-target).")]
    public bool UntilFit { get; init; }
    /// <summary>Training accuracy that counts as fitted (1 = every example right).</summary>
    [Option("--fit-target <ACC>", "Training accuracy that counts as fitted.", Min = 0, MinExclusive = true, Max = 1, Range = "an accuracy in (0, 1]")]
    public double FitTarget { get; init; } = 1.0;
    /// <summary>An autoencoder's (reconstruction task's) fit: training MSE, averaged over images and pixels, at most this.</summary>
    [IdentityNeutral(DefaultReconstructionTarget)]
    [Option("--reconstruction-target <MSE>", "An autoencoder (ae-* model) counts as fitted once its training reconstruction MSE (mean over images and pixels) is at most this; 1e-3 on whitened images is a per-pixel RMS error of about 3% of the images' own.", Min = 0, MinExclusive = true, Range = "a positive mean squared error")]
    public double ReconstructionTarget { get; init; } = DefaultReconstructionTarget;
    public const double DefaultReconstructionTarget = 1e-3;
    /// <summary>
    /// Reduce on plateau: after this many epochs without a new best training accuracy the rate is cut
    /// <see cref="Trainer.PlateauFactor"/>-fold (at most <see cref="Trainer.PlateauDrops"/> times); 0 = never.
    /// Null = the default of the stopping rule: <see cref="Trainer.PlateauEpochsUntilFit"/> for until-fit runs at the
    /// constant schedule (their default), 0 otherwise — the paper's schedule stays the paper's (<see cref="PlateauEpochsResolved"/>). Left out of the identity while null (docs/schedules.md).
    /// </summary>
    [IdentityNeutral(null)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Option("--plateau <EPOCHS>", "Cut the rate 10× after this many epochs without a new best training accuracy, at most twice; 0 = never (docs/schedules.md).",
        Min = 0, Range = "0 (never lower the rate) or a positive number of epochs", Default = "50 with --until-fit at the constant schedule, 0 otherwise")]
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
    [Option("--memorization-epochs <LIST>", "Epochs after which to take Arpit et al. 2017's memorization measures (critical sample ratio, loss sensitivity; clean and corrupted examples apart), such as 0,1,5,10; written to memorization.json.", Default = "none")]
    public string? MemorizationEpochs
    {
        get => memorizationEpochs;
        init => memorizationEpochs = CanonicalEpochs(value);
    }
    readonly string? memorizationEpochs;
    /// <summary>Training examples (a seeded subsample) the memorization measures are taken on.</summary>
    [IdentityNeutral(DefaultMemorizationSamples)]
    [Option("--memorization-samples <N>", "Training examples (a seeded subsample) the memorization measures use.", Min = 1, Range = "a positive number of training examples")]
    public int MemorizationSamples { get; init; } = DefaultMemorizationSamples;
    public const int DefaultMemorizationSamples = 500;

    // --- semi-supervised (issue 21; Tasks/SemiSupervisedTask) ------------------------------------
    /// <summary>Training examples that keep their labels; the rest are unlabelled. 0: every example labelled (no split).</summary>
    [IdentityNeutral(0)]
    [Option("--labelled <N>", "Training examples that keep their labels (the label-noise options apply to them only); the rest are unlabelled, for --semi-method (0: all labelled).", Min = 0, Range = "0 (all labelled) or a positive number of examples")]
    public int Labelled { get; init; }
    /// <summary>What the unlabelled part does: nothing (supervised), Lee's pseudo-labels, or FixMatch.</summary>
    [IdentityNeutral(DefaultSemiMethod)]
    [Option("--semi-method <M>", "With --labelled: supervised (the labelled part alone), pseudo-label (Lee 2013) or fixmatch (Sohn et al. 2020, with Shatter's augmentations).",
        Words = ["supervised", "pseudo-label", "fixmatch"], Noun = "semi-supervised method")]
    public string SemiMethod { get; init; } = DefaultSemiMethod;
    public const string DefaultSemiMethod = "pseudo-label";
    /// <summary>FixMatch's τ: the least top probability of an unlabelled example's weak view for its pseudo-label to count.</summary>
    [IdentityNeutral(DefaultPseudoThreshold)]
    [Option("--pseudo-threshold <TAU>", "With --labelled: FixMatch's confidence threshold τ (the least top probability for a pseudo-label to count); every method reports the share of unlabelled examples above it.", Min = 0, Max = 1, Range = "a probability between 0 and 1")]
    public double PseudoThreshold { get; init; } = DefaultPseudoThreshold;
    public const double DefaultPseudoThreshold = 0.95;
    /// <summary>FixMatch's μ (and the pseudo-label batch's): unlabelled examples per labelled one in a step.</summary>
    [IdentityNeutral(DefaultUnlabelledRatio)]
    [Option("--unlabelled-ratio <MU>", "With --labelled: unlabelled examples per labelled one in a step (FixMatch's μ).", Min = 1, Range = "a positive whole number")]
    public int UnlabelledRatio { get; init; } = DefaultUnlabelledRatio;
    public const int DefaultUnlabelledRatio = 7;

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
    [Option("--seed <N>", "Seed of every random choice of the run (corruptions, subsets, initialisation, batches).")]
    public long Seed { get; init; } = 1;
    /// <summary>cpu, cuda or auto. Not part of the identity.</summary>
    [Option("--device <D>", "cpu, cuda or auto (CUDA when present).", Words = ["cpu", "cuda", "auto"], Noun = "device")]
    public string Device { get; init; } = "cpu";
    /// <summary>libtorch threads; 0 = libtorch's default. Not part of the identity.</summary>
    [Option("--threads <N>", "libtorch threads (0: libtorch's choice).", Min = 0, Range = "0 (libtorch's default) or positive")]
    public int Threads { get; init; }
    /// <summary>Batch size for the full-set evaluations (does not change results; 256 measured fastest on 2 CPU cores for both MLP and AlexNet).</summary>
    [Option("--eval-batch-size <N>", "Batch size of the full-set evaluations (results do not depend on it; 256 was fastest on a CPU).", Min = 1)]
    public int EvalBatchSize { get; init; } = 256;

    /// <summary>
    /// Throws a one-sentence <see cref="ShatterException"/> for the first impossible value, named as <paramref name="spelling"/>
    /// says (<c>--lr</c> on the command line, <c>option 'learning_rate'</c> in a spec): each option's range (from its
    /// <see cref="OptionAttribute"/>), then the rules between options.
    /// </summary>
    public void Validate(OptionSpelling spelling = OptionSpelling.Cli)
    {
        foreach (var option in TrainOption.All)
            if (option.Problem(option.Get(this), spelling) is { } problem) throw new ShatterException(problem + ".");
        string N(string property) => TrainOption.Of(property).Name(spelling);
        static void Check(bool ok, string message)
        {
            if (!ok) throw new ShatterException(message);
        }
        Check(Data.DatasetCatalog.Names.Contains(Dataset) || Data.TabularDataset.IsTabular(Dataset) || Data.DatasetCatalog.IsUserSource(Dataset) || Data.TextSources.MayBeText(Dataset) || Dataset == Tasks.MazeTask.DatasetName,
            $"unknown dataset '{Dataset}'; use one of {Data.DatasetCatalog.Choices}.");
        Check(ImageSize is null || Dataset.StartsWith(Data.ImageFolder.Prefix, StringComparison.OrdinalIgnoreCase),
            $"{N(nameof(ImageSize))} resizes the images of a folder:PATH dataset, not {Dataset}; drop it, or use {N(nameof(Crop))} to crop.");
        ValidateText(N);
        if (Tasks.MazeTask.Refusal(this, N) is { } maze) throw new ShatterException(maze);
        Check(LabelNoiseMode != LabelNoiseMode.Matrix || !string.IsNullOrWhiteSpace(Transition),
            $"{N(nameof(LabelNoiseMode))} matrix needs {N(nameof(Transition))} FILE, a CSV of the C×C matrix whose row y is where a label of class y goes.");
        Check(Transition is null || LabelNoiseMode == LabelNoiseMode.Matrix,
            $"{N(nameof(Transition))} is only read by {N(nameof(LabelNoiseMode))} matrix, not {Corruptions.LabelNoise.Name(LabelNoiseMode)}; drop it or use the matrix mode.");
        Check(TargetNoiseMode == TargetNoiseMode.Shuffle || Data.TabularDataset.IsTabular(Dataset),
            $"{N(nameof(TargetNoiseMode))} gaussian replaces a regression table's targets; {Dataset} has class labels: use {N(nameof(LabelNoiseMode))} for them.");
        Check(ParseEpochs(MemorizationEpochs) is not null,
            $"{N(nameof(MemorizationEpochs))} must list epochs as whole numbers of at least 0 separated by commas (such as 0,1,5,10), not '{MemorizationEpochs}'.");
        Check(MemorizationEpochs is not null || MemorizationSamples == DefaultMemorizationSamples,
            $"{N(nameof(MemorizationSamples))} sizes the subsample of {N(nameof(MemorizationEpochs))}; add {N(nameof(MemorizationEpochs))} (such as 1,5,10) or drop it.");
        if (Tasks.AutoencoderTask.Problem(this, N) is { } reconstruction) throw new ShatterException(reconstruction);
        ValidateSemiSupervised(N);
    }

    /// <summary>The rules of --labelled and the options that shape its unlabelled part (the sizes against the data: SemiSupervisedTask).</summary>
    void ValidateSemiSupervised(Func<string, string> N)
    {
        string labelled = N(nameof(Labelled)), method = N(nameof(SemiMethod));
        if (Labelled == 0)
        {
            if (SemiMethod != DefaultSemiMethod || PseudoThreshold != DefaultPseudoThreshold || UnlabelledRatio != DefaultUnlabelledRatio)
                throw new ShatterException($"{method}, {N(nameof(PseudoThreshold))} and {N(nameof(UnlabelledRatio))} shape the unlabelled part that {labelled} N leaves; add {labelled} or drop them.");
            return;
        }
        if (SemiMethod == "fixmatch" && !Data.DatasetCatalog.Names.Contains(Dataset))
            throw new ShatterException($"{method} fixmatch augments images (shifts, flips, cutout), and {Dataset} is not an image dataset; use pseudo-label or supervised.");
        if (Data.TabularDataset.IsTabular(Dataset))
            throw new ShatterException($"{labelled} keeps the class labels of N training examples, and {Dataset} is a regression table with no classes; drop {labelled}.");
        if (SemiMethod == "fixmatch" && (AugmentCrop || AugmentFlip))
            throw new ShatterException($"{method} fixmatch makes its own weak and strong views of every image; drop {N(nameof(Augment))}.");
        if (TrainSize > 0 && Labelled >= TrainSize)
            throw new ShatterException($"{labelled} {Labelled} leaves no unlabelled example among the {TrainSize} of {N(nameof(TrainSize))}; choose fewer than {TrainSize}, or drop {labelled} to train on every label.");
    }

    /// <summary>The text options against the dataset: --text and --label only with csv:PATH, --max-tokens and the token modes only with texts.</summary>
    void ValidateText(Func<string, string> name)
    {
        bool csv = Dataset.StartsWith(Data.TextTable.Prefix, StringComparison.OrdinalIgnoreCase);
        if ((TextColumn is not null || LabelColumn is not null) && !csv)
            throw new ShatterException($"{name(TextColumn is not null ? nameof(TextColumn) : nameof(LabelColumn))} names a column of a csv:PATH table, and {Dataset} is not one; drop it.");
        if (csv && TextColumn is not null && Target is not null)
            throw new ShatterException($"{name(nameof(TextColumn))} makes {Dataset} a text classification table and {name(nameof(Target))} a regression table; give one of them.");
        if (csv && TextColumn is null && LabelColumn is not null)
            throw new ShatterException($"{name(nameof(LabelColumn))} is the class column of a text table; add {name(nameof(TextColumn))} COLUMN, the column of texts (or use {name(nameof(Target))} for a regression table).");
        bool known = Data.DatasetCatalog.Names.Contains(Dataset) || (Data.TabularDataset.IsTabular(Dataset) && TextColumn is null);
        if (known && MaxTokens != Data.TextOptions.DefaultMaxTokens)
            throw new ShatterException($"{name(nameof(MaxTokens))} truncates texts, and {Dataset} holds no texts; drop it.");
        if (known) TextInputs.RefuseForImages(Inputs, Dataset);
        if (Dataset == Data.FortunesCorpus.Name || Data.TextTable.IsTextTable(Dataset, TextColumn)) TextInputs.Of(Inputs, Dataset);
    }
}
