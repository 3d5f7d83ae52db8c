using System.ComponentModel;
using System.Globalization;
using Shatter.Cli.Infrastructure;
using Shatter.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Shatter.Cli.Commands;

/// <summary><c>shatter train</c>: one model on one (randomized) dataset, recording everything the paper measured.</summary>
public sealed class TrainCommand(IAnsiConsole console) : Command<TrainCommand.Settings>
{
    /// <summary>
    /// One property per training option, each declared by its command-line template and <see cref="TrainHelpAttribute"/>;
    /// type, default, range and help are the option's (TrainConfig's [Option]), and its text is parsed by
    /// <see cref="TrainOption.Parse"/>, as in a spec. A test checks that every option is here exactly once.
    /// </summary>
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--dataset <NAME>"), TrainHelp(nameof(TrainConfig.Dataset))] public string? Dataset { get; init; }
        [CommandOption("--target <COLUMN>"), TrainHelp(nameof(TrainConfig.Target))] public string? Target { get; init; }
        [CommandOption("--text <COLUMN>"), TrainHelp(nameof(TrainConfig.TextColumn))] public string? TextColumn { get; init; }
        [CommandOption("--label <COLUMN>"), TrainHelp(nameof(TrainConfig.LabelColumn))] public string? LabelColumn { get; init; }
        [CommandOption("--max-tokens <N>"), TrainHelp(nameof(TrainConfig.MaxTokens))] public string? MaxTokens { get; init; }
        [CommandOption("--data-dir <DIR>"), TrainHelp(nameof(TrainConfig.DataDir))] public string? DataDir { get; init; }
        [CommandOption("--image-size <N>"), TrainHelp(nameof(TrainConfig.ImageSize))] public string? ImageSize { get; init; }
        [CommandOption("--train-size <N>"), TrainHelp(nameof(TrainConfig.TrainSize))] public string? TrainSize { get; init; }
        [CommandOption("--test-size <N>"), TrainHelp(nameof(TrainConfig.TestSize))] public string? TestSize { get; init; }
        [CommandOption("--crop <N>"), TrainHelp(nameof(TrainConfig.Crop))] public string? Crop { get; init; }
        [CommandOption("--no-whiten"), TrainHelp(nameof(TrainConfig.Whiten))] public bool NoWhiten { get; init; }

        [CommandOption("--model <NAME>"), TrainHelp(nameof(TrainConfig.Model), Required = true)] public string? Model { get; init; }

        [CommandOption("--label-noise <P>"), TrainHelp(nameof(TrainConfig.LabelNoise))] public string? LabelNoise { get; init; }
        [CommandOption("--label-noise-mode <MODE>"), TrainHelp(nameof(TrainConfig.LabelNoiseMode))] public string? LabelNoiseMode { get; init; }
        [CommandOption("--transition <FILE>"), TrainHelp(nameof(TrainConfig.Transition))] public string? Transition { get; init; }
        [CommandOption("--target-noise <MODE>"), TrainHelp(nameof(TrainConfig.TargetNoiseMode))] public string? TargetNoiseMode { get; init; }
        [CommandOption("--inputs <MODE>"), TrainHelp(nameof(TrainConfig.Inputs))] public string? Inputs { get; init; }
        [CommandOption("--permute <UNIT>"), TrainHelp(nameof(TrainConfig.PermutationUnit))] public string? PermutationUnit { get; init; }
        [CommandOption("--gaussian-stats <S>"), TrainHelp(nameof(TrainConfig.GaussianStatistics))] public string? GaussianStatistics { get; init; }
        [CommandOption("--clean-test-inputs"), TrainHelp(nameof(TrainConfig.CorruptTestInputs))] public bool CleanTestInputs { get; init; }
        [CommandOption("--maze <MODE>"), TrainHelp(nameof(TrainConfig.Maze))] public string? Maze { get; init; }

        [CommandOption("--epochs <N>"), TrainHelp(nameof(TrainConfig.Epochs))] public string? Epochs { get; init; }
        [CommandOption("--max-steps <N>"), TrainHelp(nameof(TrainConfig.MaxSteps))] public string? MaxSteps { get; init; }
        [CommandOption("--until-fit"), TrainHelp(nameof(TrainConfig.UntilFit))] public bool UntilFit { get; init; }
        [CommandOption("--fit-target <ACC>"), TrainHelp(nameof(TrainConfig.FitTarget))] public string? FitTarget { get; init; }
        [CommandOption("--reconstruction-target <MSE>"), TrainHelp(nameof(TrainConfig.ReconstructionTarget))] public string? ReconstructionTarget { get; init; }
        [CommandOption("--plateau <EPOCHS>"), TrainHelp(nameof(TrainConfig.PlateauEpochs))] public string? PlateauEpochs { get; init; }

        [CommandOption("--lr <X>"), TrainHelp(nameof(TrainConfig.LearningRate))] public string? LearningRate { get; init; }
        [CommandOption("--lr-decay <X>"), TrainHelp(nameof(TrainConfig.LearningRateDecay))] public string? LearningRateDecay { get; init; }
        [CommandOption("--decay-every <N>"), TrainHelp(nameof(TrainConfig.DecayEvery))] public string? DecayEvery { get; init; }
        [CommandOption("--schedule <S>"), TrainHelp(nameof(TrainConfig.Schedule))] public string? Schedule { get; init; }
        [CommandOption("--momentum <X>"), TrainHelp(nameof(TrainConfig.Momentum))] public string? Momentum { get; init; }
        [CommandOption("--batch-size <N>"), TrainHelp(nameof(TrainConfig.BatchSize))] public string? BatchSize { get; init; }
        [CommandOption("--weight-decay <X>"), TrainHelp(nameof(TrainConfig.WeightDecay))] public string? WeightDecay { get; init; }
        [CommandOption("--dropout <P>"), TrainHelp(nameof(TrainConfig.Dropout))] public string? Dropout { get; init; }
        [CommandOption("--augment <LIST>"), TrainHelp(nameof(TrainConfig.Augment))] public string? Augment { get; init; }

        [CommandOption("--labelled <N>"), TrainHelp(nameof(TrainConfig.Labelled))] public string? Labelled { get; init; }
        [CommandOption("--semi-method <M>"), TrainHelp(nameof(TrainConfig.SemiMethod))] public string? SemiMethod { get; init; }
        [CommandOption("--pseudo-threshold <TAU>"), TrainHelp(nameof(TrainConfig.PseudoThreshold))] public string? PseudoThreshold { get; init; }
        [CommandOption("--unlabelled-ratio <MU>"), TrainHelp(nameof(TrainConfig.UnlabelledRatio))] public string? UnlabelledRatio { get; init; }

        [CommandOption("--memorization-epochs <LIST>"), TrainHelp(nameof(TrainConfig.MemorizationEpochs))] public string? MemorizationEpochs { get; init; }
        [CommandOption("--memorization-samples <N>"), TrainHelp(nameof(TrainConfig.MemorizationSamples))] public string? MemorizationSamples { get; init; }

        [CommandOption("--seed <N>"), TrainHelp(nameof(TrainConfig.Seed))] public string? Seed { get; init; }
        [CommandOption("--device <D>"), TrainHelp(nameof(TrainConfig.Device))] public string? Device { get; init; }
        [CommandOption("--threads <N>"), TrainHelp(nameof(TrainConfig.Threads))] public string? Threads { get; init; }
        [CommandOption("--eval-batch-size <N>"), TrainHelp(nameof(TrainConfig.EvalBatchSize))] public string? EvalBatchSize { get; init; }

        [CommandOption("--out <DIR>"), Description("Run folder: run.json, epochs.csv, steps.csv, examples.csv, summary.json. Required.")]
        public string? Out { get; init; }
        [CommandOption("--resume"), Description("Continue from the run folder's last epoch checkpoint.")]
        public bool Resume { get; init; }
        [CommandOption("--quiet"), Description("Print only the summary.")]
        public bool Quiet { get; init; }
        [CommandOption("--json"), Description("Print the summary as one JSON object.")]
        public bool Json { get; init; }

        /// <summary>The training options given, each with its value as typed (a flag: its option's flag value), in declaration order.</summary>
        public IEnumerable<(TrainOption Option, string Text)> Given() =>
            from p in typeof(Settings).GetProperties()
            let help = p.GetCustomAttributes(typeof(TrainHelpAttribute), false).Cast<TrainHelpAttribute>().FirstOrDefault()
            where help is not null
            let value = p.GetValue(this)
            where value is string || value is true
            select (help.Option, value as string ?? (help.Option.FlagValue ? "true" : "false"));

        /// <summary>The run's configuration: the defaults with every given option applied; throws the one-sentence error of a bad value or combination.</summary>
        public TrainConfig ToConfig()
        {
            var config = new TrainConfig();
            foreach (var (option, text) in Given())
            {
                try
                {
                    config = option.Apply(config, text, OptionSpelling.Cli);
                }
                catch (FormatException e)
                {
                    throw new ShatterException(e.Message + ".");
                }
            }
            config.Validate();
            return config;
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var config = settings.ToConfig();
        // after the options' own errors, so a bad value is named first
        if (settings.Model is null)
            throw new ShatterException("--model is required: name a model of the zoo, such as --model mlp-1x512 ('shatter models' lists them).");
        if (string.IsNullOrWhiteSpace(settings.Out))
            throw new ShatterException("--out is required: name the folder that receives the run's files.");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cts.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            // the trainer with the probes plugged in, made for the run and disposed after it, as a sweep runs its runs
            var trainer = new Shatter.Experiments.TrainerExecutor([.. Shatter.Pipelines.TrainingProbes.Makers]);
            TrainSummary Train(ITrainObserver? observer) => trainer.Execute(config, settings.Out, settings.Resume, observer, cts.Token);
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
        // R² of constant targets is undefined (NaN)
        static string R2(double r) => double.IsNaN(r) ? "undefined" : r.ToString("F4", CultureInfo.InvariantCulture);
        // the score columns in the task's own terms (TaskScore)
        console.MarkupLine(string.Create(inv, $"[bold]{s.Epochs} epochs, {s.Steps} steps[/]: {fit}; ") + s.Task switch
        {
            "regression" => string.Create(inv, $"train R² {R2(s.FinalTrainAccuracy)} (MSE {s.FinalTrainLoss:G4}), test R² {R2(s.FinalTestAccuracy)} (MSE {s.FinalTestLoss:G4}), in units of the training targets' variance"),
            "reconstruction" => string.Create(inv, $"train MSE {s.FinalTrainLoss:G4} (score 1 − MSE/variance {s.FinalTrainAccuracy:F4}), test MSE {s.FinalTestLoss:G4} ({s.FinalTestAccuracy:F4})"),
            "maze" => string.Create(inv, $"success {s.FinalTrainAccuracy:P2} on the training levels, {s.FinalTestAccuracy:P2} on new levels (gap {s.FinalTrainAccuracy - s.FinalTestAccuracy:P2}); mean return {-s.FinalTrainLoss:F3} and {-s.FinalTestLoss:F3}"),
            _ => string.Create(inv, $"train accuracy {s.FinalTrainAccuracy:P2}, test accuracy {s.FinalTestAccuracy:P2} (best {s.BestTestAccuracy:P2} at epoch {s.BestTestEpoch})"),
        });
        if (s.Task == "reconstruction")
        {
            string Field(string key) => s.Fields?.GetValueOrDefault(key) is { ValueKind: System.Text.Json.JsonValueKind.Number } v ? v.GetDouble().ToString("0.###", inv) : "?";
            console.MarkupLine($"attractors: {Field("attractor_share")} of {Field("attractor_images")} training images, recovered from noisy copies {Field("recovered_share")}, random starts landing on a training image {Field("landed_share")}" +
                (s.Fields?.GetValueOrDefault("identity_closer") is { ValueKind: System.Text.Json.JsonValueKind.String } closer ? $"; one image: closer to the {closer.GetString()} (correlation with the input {Field("identity_with_input")}, with the training image {Field("identity_with_training")})" : ""));
        }
        if (s.Task == "semi-supervised" && s.Measures is { } m)
        {
            // shares of the labelled part (its fit above is against its noisy labels) and of the unlabelled images
            static string P(double v) => double.IsNaN(v) ? "n/a" : v.ToString("P1", CultureInfo.InvariantCulture);
            double Of(string key) => m.GetValueOrDefault(key, double.NaN);
            console.MarkupLine(string.Create(inv,
                $"{Of("labelled"):F0} labelled, {Of("unlabelled"):F0} unlabelled: {P(Of("corrupted_memorized"))} of the {Of("corrupted_labelled"):F0} corrupted labels memorized; pseudo-labels: mask rate {P(Of("mask_rate"))}, accuracy {P(Of("pseudo_label_accuracy"))}"));
        }
        // the image and text classifiers' throughput (the one bench train compares); the other tasks' samples are rows, images or episodes
        string speed = s.Task is "regression" or "reconstruction" or "maze" ? "" : string.Create(inv, $", {s.TrainSamplesPerSecond:F0} training samples/s");
        console.MarkupLine(string.Create(inv, $"{s.Parameters:N0} parameters, {s.WallSeconds:F1} s{speed} on {s.Threads} threads ({s.Device}); results in {Markup.Escape(outDir)}"));
    }
}
