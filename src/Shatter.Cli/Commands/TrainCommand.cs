using System.ComponentModel;
using System.Globalization;
using Shatter.Cli.Infrastructure;
using Shatter.Corruptions;
using Shatter.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Shatter.Cli.Commands;

/// <summary><c>shatter train</c>: one model on one (randomized) dataset, recording everything the paper measured.</summary>
public sealed class TrainCommand(IAnsiConsole console) : Command<TrainCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--dataset <NAME>"), Description("fashion-mnist (default), mnist, cifar10, cifar100, cifar100-coarse; regression: house-prices, csv:PATH (with --target).")]
        public string Dataset { get; init; } = "fashion-mnist";
        [CommandOption("--target <COLUMN>"), Description("With --dataset csv:PATH (a regression table): the column to predict.")]
        public string? Target { get; init; }
        [CommandOption("--data-dir <DIR>"), Description("Folder of the dataset files (default: $SHATTER_DATA, then /usr/share/datasets/<name>).")]
        public string? DataDir { get; init; }
        [CommandOption("--train-size <N>"), Description("Class-balanced training subset (default: all).")]
        public int TrainSize { get; init; }
        [CommandOption("--test-size <N>"), Description("Class-balanced test subset (default: all).")]
        public int TestSize { get; init; }
        [CommandOption("--crop <N>"), Description("Centre crop side (default: 28 for CIFAR as in the paper, none otherwise; 0 = none).")]
        public int? Crop { get; init; }
        [CommandOption("--no-whiten"), Description("Skip the per-image whitening (on by default, as in the paper).")]
        public bool NoWhiten { get; init; }

        [CommandOption("--model <NAME>"), Description("A model of the zoo: see 'shatter models'.")]
        public string Model { get; init; } = "mlp-1x512";

        [CommandOption("--label-noise <P>"), Description("Probability that a training label is redrawn (1 = random labels).")]
        public double LabelNoise { get; init; }
        [CommandOption("--label-noise-mode <MODE>"), Description("uniform (paper: any class, may equal the true one), different (always another class), pair-flip (c → c+1), asymmetric (confusable classes), matrix (--transition) or instance (Xia et al. 2020).")]
        public string LabelNoiseMode { get; init; } = "uniform";
        [CommandOption("--transition <FILE>"), Description("CSV of the C×C transition matrix for --label-noise-mode matrix (row y: where a label of class y goes; rows sum to 1).")]
        public string? Transition { get; init; }
        [CommandOption("--target-noise <MODE>"), Description("For a regression table: what --label-noise P does to a fraction P of its targets: shuffle (default: permuted among themselves) or gaussian (replaced by normal draws of the targets' mean and variance).")]
        public string TargetNoise { get; init; } = "shuffle";
        [CommandOption("--inputs <MODE>"), Description("true, shuffled, random or gaussian.")]
        public string Inputs { get; init; } = "true";
        [CommandOption("--permute <UNIT>"), Description("What shuffled/random permutations move: pixel (whole pixels, default) or value.")]
        public string Permute { get; init; } = "pixel";
        [CommandOption("--gaussian-stats <S>"), Description("global (default) or per-channel mean and variance for gaussian inputs.")]
        public string GaussianStats { get; init; } = "global";
        [CommandOption("--clean-test-inputs"), Description("Leave test images unrandomized (default: the test set gets the same input mode).")]
        public bool CleanTestInputs { get; init; }

        [CommandOption("--epochs <N>"), Description("Most epochs (default 100; with --until-fit 1000, a cap rather than a plan).")]
        public int? Epochs { get; init; }
        [CommandOption("--max-steps <N>"), Description("Most optimisation steps (default: no limit).")]
        public long MaxSteps { get; init; }
        [CommandOption("--until-fit"), Description("Stop once the whole training set is classified correctly (see --fit-target).")]
        public bool UntilFit { get; init; }
        [CommandOption("--fit-target <ACC>"), Description("Training accuracy that counts as fitted (default 1).")]
        public double FitTarget { get; init; } = 1.0;
        [CommandOption("--plateau <EPOCHS>"), Description("Cut the rate 10× after this many epochs without a new best training accuracy, at most twice; 0 = never (default: 50 with --until-fit at the constant schedule, 0 otherwise; docs/schedules.md).")]
        public int? Plateau { get; init; }

        [CommandOption("--lr <X>"), Description("Initial learning rate (default: the model's, 0.1 Inception, 0.01 others).")]
        public double? LearningRate { get; init; }
        [CommandOption("--lr-decay <X>"), Description("Decay factor per --decay-every samples (default 0.95; 1 = constant).")]
        public double LearningRateDecay { get; init; } = 0.95;
        [CommandOption("--decay-every <N>"), Description("Training samples per decay (default 50000: the paper's CIFAR-10 epoch).")]
        public int DecayEvery { get; init; } = 50_000;
        [CommandOption("--schedule <S>"), Description("paper (×--lr-decay per --decay-every samples) or constant (the initial rate throughout); default: constant with --until-fit, paper otherwise.")]
        public string? Schedule { get; init; }
        [CommandOption("--momentum <X>")]
        public double Momentum { get; init; } = 0.9;
        [CommandOption("--batch-size <N>")]
        public int BatchSize { get; init; } = 128;
        [CommandOption("--weight-decay <X>"), Description("L2 weight decay (default 0).")]
        public double WeightDecay { get; init; }
        [CommandOption("--dropout <P>"), Description("Dropout on the fully connected layers (default 0).")]
        public double Dropout { get; init; }
        [CommandOption("--augment <LIST>"), Description("crop, flip or crop,flip: random crops in place of the centre crop, horizontal flips.")]
        public string? Augment { get; init; }

        [CommandOption("--seed <N>")]
        public long Seed { get; init; } = 1;
        [CommandOption("--device <D>"), Description("cpu (default), cuda or auto.")]
        public string Device { get; init; } = "cpu";
        [CommandOption("--threads <N>"), Description("libtorch threads (default: libtorch's choice).")]
        public int Threads { get; init; }
        [CommandOption("--eval-batch-size <N>"), Description("Batch size of the full-set evaluations (default 256: fastest on a CPU; results do not depend on it).")]
        public int EvalBatchSize { get; init; } = 256;
        [CommandOption("--memorization-epochs <LIST>"), Description("Epochs after which to take Arpit et al. 2017's memorization measures (critical sample ratio, loss sensitivity; clean and corrupted examples apart), such as 0,1,5,10; written to memorization.json.")]
        public string? MemorizationEpochs { get; init; }
        [CommandOption("--memorization-samples <N>"), Description("Training examples (a seeded subsample) the memorization measures use (default 500).")]
        public int MemorizationSamples { get; init; } = TrainConfig.DefaultMemorizationSamples;
        [CommandOption("--out <DIR>"), Description("Run folder: run.json, epochs.csv, steps.csv, examples.csv, summary.json.")]
        public string? Out { get; init; }
        [CommandOption("--resume"), Description("Continue from the run folder's last epoch checkpoint.")]
        public bool Resume { get; init; }
        [CommandOption("--quiet"), Description("Print only the summary.")]
        public bool Quiet { get; init; }
        [CommandOption("--json"), Description("Print the summary as one JSON object.")]
        public bool Json { get; init; }

        public TrainConfig ToConfig()
        {
            var augment = (Augment ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(a => a.ToLowerInvariant()).ToList();
            var unknown = augment.Except(["crop", "flip"]).ToList();
            if (unknown.Count > 0) throw new ShatterException($"unknown augmentation '{unknown[0]}'; --augment takes crop, flip or crop,flip.");
            return new TrainConfig
            {
                Dataset = Dataset.StartsWith("csv:", StringComparison.OrdinalIgnoreCase) ? "csv:" + Dataset[4..] : Dataset.ToLowerInvariant(), Target = Target, DataDir = DataDir, TrainSize = TrainSize, TestSize = TestSize, Crop = Crop, Whiten = !NoWhiten,
                LabelNoise = LabelNoise, LabelNoiseMode = Options.ParseLabelNoiseMode(LabelNoiseMode), Transition = Transition, Inputs = Options.ParseInputMode(Inputs),
                PermutationUnit = Options.ParseUnit(Permute), GaussianStatistics = Options.ParseGaussianStatistics(GaussianStats),
                CorruptTestInputs = !CleanTestInputs, Model = Model.ToLowerInvariant(), Dropout = Dropout, LearningRate = LearningRate,
                LearningRateDecay = LearningRateDecay, DecayEvery = DecayEvery, Schedule = Options.ParseSchedule(Schedule, UntilFit), Momentum = Momentum, BatchSize = BatchSize, WeightDecay = WeightDecay,
                AugmentCrop = augment.Contains("crop"), AugmentFlip = augment.Contains("flip"), Epochs = Epochs ?? (UntilFit ? 1000 : 100), MaxSteps = MaxSteps,
                UntilFit = UntilFit, FitTarget = FitTarget, PlateauEpochs = Plateau, Seed = Seed, Device = Device, Threads = Threads, EvalBatchSize = EvalBatchSize,
                TargetNoiseMode = Options.ParseTargetNoiseMode(TargetNoise), MemorizationEpochs = MemorizationEpochs, MemorizationSamples = MemorizationSamples,
            };
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(settings.Out))
            throw new ShatterException("--out is required: name the folder that receives the run's files.");
        var config = settings.ToConfig();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cts.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            using var memorization = new Shatter.Adversarial.MemorizationProbe(); // --memorization-epochs, plugged into the trainer
            TrainSummary Train(ITrainObserver? observer) =>
                Trainer.Run(config, settings.Out, new TrainerOptions { Resume = settings.Resume, Observer = observer, Callbacks = [memorization] }, cts.Token);
            var summary = settings.Quiet || settings.Json ? Train(null) : TrainProgress.Run(console, config, Train);
            if (settings.Json)
                console.Profile.Out.Writer.WriteLine(Shatter.Json.Serialize(summary));
            else
                WriteSummary(summary, settings.Out);
            // A diverged run is a finished, recorded result (every file written), but the command did not train a
            // model: its sentence is the error, and it exits with its own code (3), so scripts can tell it from
            // success and from bad input (2).
            if (summary.Diverged) throw new RunDivergedException(summary.Notice!);
            if (summary.Notice is not null) console.MarkupLine($"[yellow]{Markup.Escape(summary.Notice)}[/]");
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        return 0;
    }

    void WriteSummary(TrainSummary s, string outDir)
    {
        var inv = CultureInfo.InvariantCulture;
        string fit = s.StepsToFit is { } k ? string.Create(inv, $"fit after {k} steps ({s.EpochsToFit} epochs)") : "did not fit";
        if (s.Task == "regression")
        {
            // R² of constant targets is undefined (NaN)
            static string R2(double r) => double.IsNaN(r) ? "undefined" : r.ToString("F4", CultureInfo.InvariantCulture);
            console.MarkupLine(string.Create(inv,
                $"[bold]{s.Epochs} epochs, {s.Steps} steps[/]: {fit}; train R² {R2(s.FinalTrainAccuracy)} (MSE {s.FinalTrainLoss:G4}), test R² {R2(s.FinalTestAccuracy)} (MSE {s.FinalTestLoss:G4}), in units of the training targets' variance"));
            console.MarkupLine(string.Create(inv, $"{s.Parameters:N0} parameters, {s.WallSeconds:F1} s on {s.Threads} threads ({s.Device}); results in {Markup.Escape(outDir)}"));
            return;
        }
        console.MarkupLine(string.Create(inv,
            $"[bold]{s.Epochs} epochs, {s.Steps} steps[/]: {fit}; train accuracy {s.FinalTrainAccuracy:P2}, test accuracy {s.FinalTestAccuracy:P2} (best {s.BestTestAccuracy:P2} at epoch {s.BestTestEpoch})"));
        console.MarkupLine(string.Create(inv,
            $"{s.Parameters:N0} parameters, {s.WallSeconds:F1} s, {s.TrainSamplesPerSecond:F0} training samples/s on {s.Threads} threads ({s.Device}); results in {Markup.Escape(outDir)}"));
    }
}
