using System.ComponentModel;
using System.Globalization;
using Shatter.Data;
using Shatter.Models;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Shatter.Cli.Commands;

/// <summary>
/// <c>shatter models</c>: the model zoo with each model's family, paper learning rate and parameter count
/// for a dataset's input shape. Needs no dataset files: the shape comes from <see cref="DatasetShapes"/>.
/// </summary>
public sealed class ModelsCommand(IAnsiConsole console) : Command<ModelsCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "[model]")]
        [Description("Describe only this model: a name of the zoo, or one of the patterns listed under the table (e.g. mlp-<depth>x<width>, vit-<depth>x<width>-p<patch>).")]
        public string? Model { get; init; }

        [CommandOption("--dataset <NAME>")]
        [Description("Dataset whose input shape sizes the models: fashion-mnist (default), mnist, cifar10, cifar100, cifar100-coarse.")]
        public string Dataset { get; init; } = DatasetCatalog.Default;

        [CommandOption("--crop <N>")]
        [Description("Centre crop side; default 28 for CIFAR (paper), none for the 28×28 datasets; 0 = no crop.")]
        public int? Crop { get; init; }

        [CommandOption("--json")]
        [Description("Print one JSON object instead of a table.")]
        public bool Json { get; init; }
    }

    public sealed record ModelInfo(string Name, string Family, double DefaultLearningRate, long Parameters, string Description);
    public sealed record Listing(string Dataset, int[] InputShape, int Classes, IReadOnlyList<ModelInfo> Models);

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var ((c, h, w), classes) = DatasetShapes.InputShape(settings.Dataset, settings.Crop);
        var specs = settings.Model is null ? ModelRegistry.Known : [ModelRegistry.Describe(settings.Model)];
        var models = new List<ModelInfo>();
        foreach (var spec in specs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var model = ModelRegistry.Create(spec.Name, (c, h, w), classes, new ModelOptions());
            models.Add(new ModelInfo(spec.Name, spec.Family, spec.DefaultLearningRate, ModelRegistry.ParameterCount(model), spec.Description));
        }
        var listing = new Listing(settings.Dataset.ToLowerInvariant(), [c, h, w], classes, models);
        if (settings.Json)
        {
            console.Profile.Out.Writer.WriteLine(Shatter.Json.Serialize(listing));
            return 0;
        }
        console.MarkupLine($"models for [bold]{Markup.Escape(listing.Dataset)}[/]: input {c}×{h}×{w}, {classes} classes");
        var table = new Table().AddColumns("model", "learning rate", "parameters", "description");
        table.Columns[1].RightAligned();
        table.Columns[2].RightAligned();
        foreach (var m in models)
            table.AddRow(Markup.Escape(m.Name), m.DefaultLearningRate.ToString("G", CultureInfo.InvariantCulture),
                m.Parameters.ToString("N0", CultureInfo.InvariantCulture), Markup.Escape(m.Description));
        console.Write(table);
        if (settings.Model is null)
            console.MarkupLine($"[grey]other sizes: {Markup.Escape(ModelRegistry.Patterns)}[/]");
        return 0;
    }
}
