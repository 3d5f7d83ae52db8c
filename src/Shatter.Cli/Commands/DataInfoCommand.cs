using System.ComponentModel;
using Shatter.Data;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Shatter.Cli.Commands;

/// <summary><c>shatter data info</c>: what a dataset holds.</summary>
public sealed class DataInfoCommand(IAnsiConsole console) : Command<DataInfoCommand.Settings>
{
    public sealed class Settings : DatasetSettings
    {
        [CommandOption("--json")]
        [Description("Print one JSON object instead of tables.")]
        public bool Json { get; init; }
    }

    public sealed record ClassInfo(int Label, string Name, long Train, long Test);
    public sealed record Info(string Dataset, string Source, int Train, int Test, int[] ImageShape, int Classes,
        double PixelMean, double PixelStd, double[] ChannelMean, double[] ChannelStd, IReadOnlyList<ClassInfo> ClassCounts);

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var data = DatasetCatalog.Load(settings.Dataset, settings.DataDir);
        // statistics of the training images, pixel values in [0, 1]
        var (channelMean, channelStd) = Preprocessing.ChannelStatistics(data.Train.Images);
        var (mean, std) = Preprocessing.CombineChannels((channelMean, channelStd));
        var train = data.Train.ClassCounts(data.Classes);
        var test = data.Test.ClassCounts(data.Classes);
        var (c, h, w) = data.ImageShape;
        var info = new Info(data.Name, data.Source, data.Train.Count, data.Test.Count, [c, h, w], data.Classes, mean, std, channelMean, channelStd,
            Enumerable.Range(0, data.Classes).Select(i => new ClassInfo(i, data.ClassNames[i], train[i], test[i])).ToList());
        if (settings.Json)
        {
            console.Profile.Out.Writer.WriteLine(Shatter.Json.Serialize(info));
            return 0;
        }
        console.MarkupLine($"[bold]{info.Dataset}[/]: {info.Train} training and {info.Test} test images of {c}×{h}×{w}, {info.Classes} classes");
        console.MarkupLine($"read from {Markup.Escape(info.Source)}");
        console.MarkupLine($"training pixel values in [[0, 1]]: mean {mean:F4}, std {std:F4}");
        if (c > 1)
            console.MarkupLine($"per channel: mean {string.Join(" ", channelMean.Select(v => v.ToString("F4")))}, std {string.Join(" ", channelStd.Select(v => v.ToString("F4")))}");
        var table = new Table().AddColumns("label", "class", "train", "test");
        foreach (var k in info.ClassCounts) table.AddRow(k.Label.ToString(), Markup.Escape(k.Name), k.Train.ToString(), k.Test.ToString());
        console.Write(table);
        return 0;
    }
}
