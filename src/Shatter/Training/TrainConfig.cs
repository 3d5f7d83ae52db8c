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
    public InputMode Inputs { get; init; } = InputMode.True;
    public PermutationUnit PermutationUnit { get; init; } = PermutationUnit.Pixel;
    public GaussianStatistics GaussianStatistics { get; init; } = GaussianStatistics.Global;
    public bool CorruptTestInputs { get; init; } = true;

    // --- model --------------------------------------------------------------------------------
    public string Model { get; init; } = "mlp-1x512";
    /// <summary>Dropout probability on the fully connected layers; 0 = off.</summary>
    public double Dropout { get; init; }

    // --- optimisation -------------------------------------------------------------------------
    /// <summary>Initial learning rate; null = the model's paper default (0.1 Inception, 0.01 others).</summary>
    public double? LearningRate { get; init; }
    /// <summary>Multiplicative decay per <see cref="DecayEvery"/> training samples (paper: 0.95); 1 = none.</summary>
    public double LearningRateDecay { get; init; } = 0.95;
    /// <summary>Samples per decay step; the paper decays per CIFAR-10 epoch, i.e. every 50,000 images.</summary>
    public int DecayEvery { get; init; } = 50_000;
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

    // --- execution ----------------------------------------------------------------------------
    public long Seed { get; init; } = 1;
    /// <summary>cpu, cuda or auto. Not part of the identity.</summary>
    public string Device { get; init; } = "cpu";
    /// <summary>libtorch threads; 0 = libtorch's default. Not part of the identity.</summary>
    public int Threads { get; init; }
    /// <summary>Batch size for the full-set evaluations (does not change results).</summary>
    public int EvalBatchSize { get; init; } = 1000;
}
