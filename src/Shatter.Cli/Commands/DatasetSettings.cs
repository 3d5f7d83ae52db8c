using System.ComponentModel;
using Shatter.Cli.Infrastructure;
using Shatter.Data;
using Spectre.Console.Cli;

namespace Shatter.Cli.Commands;

/// <summary>Options shared by every command that reads a dataset.</summary>
public class DatasetSettings : CommandSettings
{
    [CommandArgument(0, "[dataset]")]
    [Description("fashion-mnist (default), mnist, cifar10, cifar100 or cifar100-coarse, or your own images folder:PATH or npz:PATH; data info also reads the regression tables house-prices and csv:PATH (with --target) and the text datasets fortunes, csv:PATH (with --text and --label) and folder:PATH of .txt files.")]
    public string Dataset { get; init; } = DatasetCatalog.Default;

    [CommandOption("--image-size <N>"), TrainHelp(nameof(Training.TrainConfig.ImageSize))]
    public int? ImageSize { get; init; }

    /// <summary>How a folder:PATH dataset is read (--image-size).</summary>
    public ImageFolderOptions FolderOptions => new(ImageSize);

    [CommandOption("--data-dir <DIR>"), TrainHelp(nameof(Training.TrainConfig.DataDir))]
    public string? DataDir { get; init; }
}
