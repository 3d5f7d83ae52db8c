using System.ComponentModel;
using Shatter.Data;
using Spectre.Console.Cli;

namespace Shatter.Cli.Commands;

/// <summary>Options shared by every command that reads a dataset.</summary>
public class DatasetSettings : CommandSettings
{
    [CommandArgument(0, "[dataset]")]
    [Description("fashion-mnist (default), mnist, cifar10, cifar100 or cifar100-coarse.")]
    public string Dataset { get; init; } = DatasetCatalog.Default;

    [CommandOption("--data-dir <DIR>")]
    [Description("Folder holding the dataset files (default: $SHATTER_DATA, then /usr/share/datasets/<name>).")]
    public string? DataDir { get; init; }
}
