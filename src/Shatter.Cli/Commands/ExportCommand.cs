using System.ComponentModel;
using Shatter.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Shatter.Cli.Commands;

/// <summary>
/// <c>shatter export RUN_DIR --out model.pt [--initial] [--training-data data.pt]</c>: a finished run's final (or
/// initial) weights as a PyTorch state_dict: <c>model.load_state_dict(torch.load("model.pt"))</c>; and/or its
/// training set as the measures see it (images as evaluated, labels as trained), for bench/measures_check.py.
/// </summary>
public sealed class ExportCommand(IAnsiConsole console) : Command<ExportCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<RUN_DIR>")]
        [Description("A run folder written by 'shatter train' or a sweep (results/runs/<hash>).")]
        public string RunDir { get; init; } = "";

        [CommandOption("--out <FILE>")]
        [Description("The state_dict file to write (e.g. model.pt).")]
        public string Out { get; init; } = "";

        [CommandOption("--training-data <FILE>")]
        [Description("Also (or only) write the run's training set as the measures see it: a dict {x: float32 (N, C, H, W) images as evaluated, y: int64 (N) labels as trained}.")]
        public string? TrainingData { get; init; }

        [CommandOption("--initial")]
        [Description("Export the initial weights (epoch 0) instead of the final ones.")]
        public bool Initial { get; init; }

        public override ValidationResult Validate() =>
            Out.Length == 0 && TrainingData is null
                ? ValidationResult.Error("export needs --out FILE, the state_dict to write (e.g. --out model.pt), or --training-data FILE.")
                : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var run = new RunFolder(settings.RunDir);
        if (!Directory.Exists(settings.RunDir)) throw new ShatterException($"no run folder {settings.RunDir}; give the folder a run was trained into.");
        if (!File.Exists(run.SummaryJson)) throw new ShatterException($"{settings.RunDir} holds no finished run (no summary.json); finish it with 'shatter train --resume' first.");
        if (settings.TrainingData is not null)
        {
            long n = Shatter.Measures.TrainingSetExport.Save(settings.RunDir, settings.TrainingData);
            console.Profile.Out.Writer.WriteLine($"wrote {settings.TrainingData}: the {n} training images (as evaluated) and labels (as trained) of {settings.RunDir} (torch.load(\"{Path.GetFileName(settings.TrainingData)}\")[\"x\"], [\"y\"]).");
            if (settings.Out.Length == 0) return 0;
        }
        var source = settings.Initial ? run.InitialWeights : run.FinalWeights;
        if (!File.Exists(source)) throw new ShatterException($"{settings.RunDir} has no {Path.GetFileName(source)}: it was trained by a shatter that kept no weights; train it again.");
        var full = Path.GetFullPath(settings.Out);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.Copy(source, full + ".tmp", overwrite: true);
        File.Move(full + ".tmp", full, overwrite: true);
        console.Profile.Out.Writer.WriteLine($"wrote {settings.Out}: the {(settings.Initial ? "initial" : "final")} weights of {settings.RunDir} as a PyTorch state_dict (model.load_state_dict(torch.load(\"{Path.GetFileName(settings.Out)}\"))).");
        return 0;
    }
}
