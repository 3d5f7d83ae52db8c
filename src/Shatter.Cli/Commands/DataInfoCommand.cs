using System.Globalization;
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

        [CommandOption("--target <COLUMN>")]
        [Description("With a csv:PATH table: the column to predict (house-prices predicts MEDV).")]
        public string? Target { get; init; }

        [CommandOption("--text <COLUMN>"), Cli.Infrastructure.TrainHelp(nameof(Training.TrainConfig.TextColumn))]
        public string? TextColumn { get; init; }

        [CommandOption("--label <COLUMN>"), Cli.Infrastructure.TrainHelp(nameof(Training.TrainConfig.LabelColumn))]
        public string? LabelColumn { get; init; }

        [CommandOption("--max-tokens <N>"), Cli.Infrastructure.TrainHelp(nameof(Training.TrainConfig.MaxTokens))]
        public int MaxTokens { get; init; } = Data.TextOptions.DefaultMaxTokens;

        public Data.TextOptions TextOptions() => new(MaxTokens, TextColumn: TextColumn, LabelColumn: LabelColumn);
    }

    /// <summary>A text dataset: its texts, classes and token lengths at --max-tokens (lengths count the tokens kept).</summary>
    public sealed record TextInfo(string Dataset, string Source, int Train, int Test, int Classes, int MaxTokens, int Vocabulary,
        double MedianTokens, long TrainAtMaxTokens, IReadOnlyList<ClassInfo> ClassCounts);

    /// <summary>A regression table: its rows, features and target, with each column's mean and std.</summary>
    public sealed record TableInfo(string Dataset, string Source, int Rows, string Target, double TargetMean, double TargetStd,
        double TargetMin, double TargetMax, IReadOnlyList<ColumnInfo> Features);
    public sealed record ColumnInfo(string Name, double Mean, double Std);

    public sealed record ClassInfo(int Label, string Name, long Train, long Test);
    public sealed record Info(string Dataset, string Source, int Train, int Test, int[] ImageShape, int Classes,
        double PixelMean, double PixelStd, double[] ChannelMean, double[] ChannelStd, IReadOnlyList<ClassInfo> ClassCounts, string? Cache = null);

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (TextSources.IsText(settings.Dataset, settings.TextOptions())) return Text(settings);
        if (TabularDataset.IsTabular(settings.Dataset)) return Table(settings);
        using var data = DatasetCatalog.Load(settings.Dataset, settings.DataDir, settings.FolderOptions);
        // statistics of the training images, pixel values in [0, 1]
        var (channelMean, channelStd) = Preprocessing.ChannelStatistics(data.Train.Images);
        var (mean, std) = Preprocessing.CombineChannels((channelMean, channelStd));
        var train = data.Train.ClassCounts(data.Classes);
        var test = data.Test.ClassCounts(data.Classes);
        var (c, h, w) = data.ImageShape;
        var info = new Info(data.Name, data.Source, data.Train.Count, data.Test.Count, [c, h, w], data.Classes, mean, std, channelMean, channelStd,
            Enumerable.Range(0, data.Classes).Select(i => new ClassInfo(i, data.ClassNames[i], train[i], test[i])).ToList(), data.Cache);
        if (settings.Json)
        {
            console.Profile.Out.Writer.WriteLine(Shatter.Json.Serialize(info));
            return 0;
        }
        console.MarkupLine($"[bold]{info.Dataset}[/]: {info.Train} training and {info.Test} test images of {c}×{h}×{w}, {info.Classes} classes");
        console.MarkupLine($"read from {Markup.Escape(info.Source)}");
        if (info.Cache is not null) console.MarkupLine(Markup.Escape(info.Cache));
        console.MarkupLine($"training pixel values in [[0, 1]]: mean {mean:F4}, std {std:F4}");
        if (c > 1)
            console.MarkupLine($"per channel: mean {string.Join(" ", channelMean.Select(v => v.ToString("F4")))}, std {string.Join(" ", channelStd.Select(v => v.ToString("F4")))}");
        var table = new Table().AddColumns("label", "class", "train", "test");
        foreach (var k in info.ClassCounts) table.AddRow(k.Label.ToString(), Markup.Escape(k.Name), k.Train.ToString(), k.Test.ToString());
        console.Write(table);
        return 0;
    }

    /// <summary>house-prices and csv:PATH: rows, target and per-column mean and std (population std, as for images).</summary>
    int Table(Settings settings)
    {
        var t = TabularDataset.Load(settings.Dataset, settings.Target, settings.DataDir);
        static (double Mean, double Std) Stats(IReadOnlyList<double> v)
        {
            double mean = v.Average();
            return (mean, Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / v.Count));
        }
        var (yMean, yStd) = Stats(t.Y);
        var info = new TableInfo(t.Name, t.Source, t.Rows, t.Target, yMean, yStd, t.Y.Min(), t.Y.Max(),
            [.. t.Features.Select((name, j) =>
            {
                var (mean, std) = Stats([.. t.X.Select(row => row[j])]);
                return new ColumnInfo(name, mean, std);
            })]);
        if (settings.Json)
        {
            console.Profile.Out.Writer.WriteLine(Shatter.Json.Serialize(info));
            return 0;
        }
        console.MarkupLine($"[bold]{Markup.Escape(info.Dataset)}[/]: a regression table of {info.Rows} rows, {info.Features.Count} features → {Markup.Escape(info.Target)}");
        console.MarkupLine($"read from {Markup.Escape(info.Source)}");
        var inv = CultureInfo.InvariantCulture;
        console.MarkupLine(string.Create(inv, $"target {Markup.Escape(info.Target)}: mean {yMean:G6}, std {yStd:G6}, from {info.TargetMin:G6} to {info.TargetMax:G6}"));
        var table = new Table().AddColumns("feature", "mean", "std");
        foreach (var c in info.Features) table.AddRow(Markup.Escape(c.Name), c.Mean.ToString("G6", inv), c.Std.ToString("G6", inv));
        console.Write(table);
        return 0;
    }

    /// <summary>fortunes, csv:PATH --text --label and folder:PATH of .txt files: texts per split and class, vocabulary, token lengths.</summary>
    int Text(Settings settings)
    {
        using var data = TextSources.Load(settings.Dataset, settings.TextOptions(), settings.DataDir);
        var train = data.Train.ClassCounts(data.Classes);
        var test = data.Test.ClassCounts(data.Classes);
        var lengths = data.Train.Lengths.data<long>().ToArray().Order().ToArray();
        double median = lengths.Length == 0 ? 0 : lengths.Length % 2 == 1 ? lengths[lengths.Length / 2] : (lengths[lengths.Length / 2 - 1] + lengths[lengths.Length / 2]) / 2.0;
        var info = new TextInfo(data.Name, data.Source, data.Train.Count, data.Test.Count, data.Classes, data.MaxTokens, data.Vocabulary.Size,
            median, lengths.Count(l => l == data.MaxTokens),
            Enumerable.Range(0, data.Classes).Select(i => new ClassInfo(i, data.ClassNames[i], train[i], test[i])).ToList());
        if (settings.Json)
        {
            console.Profile.Out.Writer.WriteLine(Shatter.Json.Serialize(info));
            return 0;
        }
        var inv = CultureInfo.InvariantCulture;
        console.MarkupLine(string.Create(inv, $"[bold]{Markup.Escape(info.Dataset)}[/]: {info.Train:N0} training and {info.Test:N0} test texts, {info.Classes} classes"));
        console.MarkupLine($"read from {Markup.Escape(info.Source)}");
        console.MarkupLine(string.Create(inv, $"GPT-2 tokens kept per text: at most {info.MaxTokens} (median {info.MedianTokens:G4}; {info.TrainAtMaxTokens:N0} training texts reach {info.MaxTokens}, most of them truncated); vocabulary {info.Vocabulary:N0} ids"));
        var table = new Table().AddColumns("label", "class", "train", "test");
        foreach (var k in info.ClassCounts) table.AddRow(k.Label.ToString(inv), Markup.Escape(k.Name), k.Train.ToString(inv), k.Test.ToString(inv));
        console.Write(table);
        return 0;
    }
}
