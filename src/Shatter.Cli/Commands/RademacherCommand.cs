using System.ComponentModel;
using System.Globalization;
using Shatter.Cli.Infrastructure;
using Shatter.Measures;
using Shatter.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;
using Shatter.Results;

namespace Shatter.Cli.Commands;

/// <summary>
/// <c>shatter rademacher --model M --dataset D --train-size n --draws K</c>: the empirical Rademacher
/// complexity of what training reaches on K random ±1 labelings, and the generalization bound it implies.
/// </summary>
public sealed class RademacherCommand(IAnsiConsole console) : Command<RademacherCommand.Settings>
{
    public sealed class Settings : TheorySettings
    {
        [CommandOption("--model <M>")]
        [Description("Model (one-output head), e.g. mlp-1x512 (default).")]
        public string Model { get; init; } = "mlp-1x512";

        [CommandOption("--dataset <NAME>")]
        public string Dataset { get; init; } = "fashion-mnist";

        [CommandOption("--data-dir <DIR>"), TrainHelp(nameof(Training.TrainConfig.DataDir))]
        public string? DataDir { get; init; }

        [CommandOption("--train-size <N>")]
        [Description("Training images n, or a list (500,1000,2000) (default 2000).")]
        public string TrainSize { get; init; } = "2000";

        [CommandOption("--draws <K>")]
        [Description("Random ±1 labelings (default 5).")]
        public int Draws { get; init; } = 5;

        [CommandOption("--epochs <LIST>")]
        [Description("Training budgets in epochs at which R̂ is read (default 5,20,100; training stops early once every sign fits).")]
        public string Epochs { get; init; } = "5,20,100";

    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        TorchRuntime.SetThreads(settings.Threads);
        var sizes = Ints(settings.TrainSize, "--train-size");
        var budgets = Ints(settings.Epochs, "--epochs");
        var w = console.Profile.Out.Writer;
        foreach (var n in sizes)
        {
            var r = RademacherExperiment.Run(settings.Model, settings.Dataset, settings.DataDir, n, settings.Draws, budgets, settings.Seed,
                progress: settings.Json ? null : line => w.WriteLine($"  n = {n}, {line}"));
            if (settings.Report is not null) using (var store = Stores.Open(TheorySettings.CapacityDatabase(settings.Report))) store.SaveCapacity(r);
            if (settings.Json) { w.WriteLine(Shatter.Json.Serialize(r)); continue; }
            Print(w, r);
        }
        return 0;
    }

    public static void Print(TextWriter w, RademacherResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        w.WriteLine(string.Create(inv, $"{r.Model} (one-output head, {r.Parameters:N0} parameters) on {r.TrainSize} {r.Dataset} images, {r.Draws} random ±1 labelings, SGD lr {r.LearningRate}, batch {r.BatchSize}:"));
        foreach (var p in r.Budgets)
            w.WriteLine(string.Create(inv, $"  ≤ {p.Epochs} epochs: R̂ = {p.Mean:0.000} ± {p.StdDev:0.000} (min {p.Min:0.000}, max {p.Max:0.000}; training accuracy {p.MeanTrainAccuracy:P1}); bound: test error ≤ train error + R̂ + 3√(ln(2/δ)/2n) = train error + {p.BoundGap:0.000} (δ = {r.Delta}): {RademacherExperiment.Verdict(p.BoundGap)}"));
        w.WriteLine(string.Create(inv, $"  ({r.Seconds:0.0} s)"));
    }

    static List<int> Ints(string list, string option)
    {
        var parts = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var values = new List<int>();
        foreach (var p in parts)
            values.Add(int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v
                : throw new ShatterException($"{option} takes positive whole numbers separated by commas, not '{list}'."));
        return values.Count > 0 ? values : throw new ShatterException($"{option} needs at least one number.");
    }
}
