using System.ComponentModel;
using Shatter.Corruptions;
using Shatter.Data;
using Shatter.Reporting;
using Spectre.Console;
using Spectre.Console.Cli;
using static TorchSharp.torch;

namespace Shatter.Cli.Commands;

/// <summary><c>shatter data preview</c>: a grid of training images before (top) and after (bottom) an input randomization.</summary>
public sealed class DataPreviewCommand(IAnsiConsole console) : Command<DataPreviewCommand.Settings>
{
    public sealed class Settings : DatasetSettings
    {
        [CommandOption("--inputs <MODE>")]
        [Description("shuffled, random or gaussian (true draws the originals twice).")]
        public string Inputs { get; init; } = "shuffled";

        [CommandOption("--out <FILE>")]
        [Description("The PNG to write.")]
        public string Out { get; init; } = "preview.png";

        [CommandOption("--count <N>")]
        [Description("Images per row (default 10).")]
        public int Count { get; init; } = 10;

        [CommandOption("--seed <N>")]
        public long Seed { get; init; } = 1;

        [CommandOption("--unit <UNIT>")]
        [Description("What a permutation moves: pixel (whole pixels, default) or value (single channel values).")]
        public string Unit { get; init; } = "pixel";

        public override ValidationResult Validate() =>
            Count is < 1 or > 64 ? ValidationResult.Error("--count must be between 1 and 64.") : ValidationResult.Success();
    }

    /// <summary>Training images whose statistics the gaussian mode matches (the whole set would cost a float copy of it).</summary>
    const int StatisticsSample = 2000;

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var corruption = new InputCorruption(Parse<InputMode>(nameof(Training.TrainConfig.Inputs), settings.Inputs, "--inputs"),
            Parse<PermutationUnit>(nameof(Training.TrainConfig.PermutationUnit), settings.Unit, "--unit"));
        using var data = DatasetCatalog.Load(settings.Dataset, settings.DataDir, settings.FolderOptions);
        using var scope = NewDisposeScope();
        int count = Math.Min(settings.Count, data.Train.Count);
        // columns ordered by class (stable, so within a class by position in the file)
        var chosen = Subsets.ClassBalancedIndices(data.Train, data.Classes, count, settings.Seed);
        var idx = chosen.index_select(0, data.Train.Labels.index_select(0, chosen).sort(0, stable: true).Indices);
        var before = Preprocessing.ToUnitFloat(data.Train.Images.index_select(0, idx));
        // The shown images go in as the "test" set, so they get exactly what a test set gets (the shared
        // permutation, their own random permutations, or Gaussian noise matching the training statistics),
        // with the statistics taken from a class-balanced sample of the training set, not from the few shown.
        var sampleIdx = Subsets.ClassBalancedIndices(data.Train, data.Classes, Math.Min(StatisticsSample, data.Train.Count), settings.Seed);
        var sample = Preprocessing.ToUnitFloat(data.Train.Images.index_select(0, sampleIdx));
        using var after = InputNoise.Apply(sample, before, corruption, settings.Seed);
        ImageGrid.WritePng(settings.Out, [before, after.Test]);
        var labels = data.Train.Labels.index_select(0, idx).data<long>().ToArray();
        console.MarkupLine($"wrote {Markup.Escape(Path.GetFullPath(settings.Out))}: top row original, bottom row {Markup.Escape(settings.Inputs.ToLowerInvariant())}"
            + (corruption.Mode == InputMode.True ? "" : $" ({Describe(corruption, sample.shape[0])})"));
        console.MarkupLine($"columns, left to right: {Markup.Escape(string.Join(", ", labels.Select(l => data.ClassNames[(int)l])))}");
        return 0;
    }

    /// <summary>A value in the words of the training option <paramref name="property"/> (one vocabulary with train and specs).</summary>
    static T Parse<T>(string property, string text, string name)
    {
        try
        {
            return (T)Training.TrainOption.Of(property).Parse(text, name)!;
        }
        catch (FormatException e)
        {
            throw new ShatterException(e.Message + ".");
        }
    }

    static string Describe(InputCorruption c, long sampled) => c.Mode switch
    {
        InputMode.Shuffled => $"one permutation of the {(c.Unit == PermutationUnit.Pixel ? "pixels" : "values")} for every image",
        InputMode.Random => $"a different permutation of the {(c.Unit == PermutationUnit.Pixel ? "pixels" : "values")} for each image",
        _ => $"Gaussian noise with the mean and std of {sampled} training images",
    };
}
