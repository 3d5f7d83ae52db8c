using System.ComponentModel;
using System.Globalization;
using Shatter.Cli.Infrastructure;
using Shatter.Runtime;
using Shatter.Theory;
using Spectre.Console;
using Spectre.Console.Cli;
using static TorchSharp.torch;

namespace Shatter.Cli.Commands;

/// <summary>
/// <c>shatter expressivity</c>: builds the two-layer ReLU network of Theorem 1 (2n + d weights) that fits
/// any labels on n points, in float64 and float32, and reports how exactly it fits. Exit code 0 when
/// every float64 output rounds to its label, 1 when not (float32 is reported, never judged).
/// </summary>
public sealed class ExpressivityCommand(IAnsiConsole console) : Command<ExpressivityCommand.Settings>
{
    public sealed class Settings : TheorySettings
    {
        [CommandOption("--dataset <NAME>")]
        [Description("Fit a class-balanced subset of this dataset's training images (labels as class indices); default: random Gaussian points.")]
        public string? Dataset { get; init; }

        [CommandOption("--target <COLUMN>")]
        [Description("With --dataset csv:PATH: the column to fit (house-prices fits MEDV).")]
        public string? Target { get; init; }

        [CommandOption("--data-dir <DIR>"), TrainHelp(nameof(Training.TrainConfig.DataDir))]
        public string? DataDir { get; init; }

        [CommandOption("-n|--points <N>")]
        [Description("Number of points to fit, n (default 1000; also --n).")]
        public int N { get; init; } = 1000;

        [CommandOption("-d|--dimension <D>")]
        [Description("Dimension d of the random points (default 784; also --d; a dataset fixes its own).")]
        public int D { get; init; } = 784;

        [CommandOption("--classes <K>")]
        [Description("Random points get labels uniform in 0..K−1 (default 10).")]
        public int Classes { get; init; } = 10;

        [CommandOption("--label-noise <P>")]
        [Description("With --dataset: redraw each label uniformly with probability P (1: random labels).")]
        public double LabelNoise { get; init; }

        [CommandOption("--test-size <N>")]
        [Description("With --dataset: test images to predict off the sample (default 0: all).")]
        public int TestSize { get; init; }

        [CommandOption("--depth <K>")]
        [Description("Also build the depth-K form (width ⌈n/K⌉ + 3) and check that it fits (default 1: two layers only).")]
        public int Depth { get; init; } = 1;

        [CommandOption("--directions <N>")]
        [Description("Random directions a tried; the one with the largest smallest gap is kept (default 16).")]
        public int Directions { get; init; } = 16;

        [CommandOption("--sweep <LIST>")]
        [Description("Comma-separated n values: one row per n, showing where float32 stops being exact.")]
        public string? Sweep { get; init; }

        public override ValidationResult Validate()
        {
            if (N < 1) return ValidationResult.Error($"--n must be at least 1, not {N}.");
            if (D < 1) return ValidationResult.Error($"--d must be at least 1, not {D}.");
            if (Classes < 2) return ValidationResult.Error($"--classes must be at least 2, not {Classes}.");
            if (Depth < 1) return ValidationResult.Error($"--depth must be at least 1, not {Depth}.");
            if (!(LabelNoise >= 0 && LabelNoise <= 1)) return ValidationResult.Error($"--label-noise must be a probability between 0 and 1, not {LabelNoise}.");
            if (TestSize < 0) return ValidationResult.Error($"--test-size must be 0 (all) or positive, not {TestSize}.");
            return ValidationResult.Success();
        }
    }

    /// <summary>The JSON of a sweep: one result per n and the first n at which float32 stops being exact.</summary>
    public sealed record SweepResult(IReadOnlyList<ExpressivityResult> Rows, int? Float32FirstInexactN, int? Float64FirstInexactN);

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        int threads = TorchRuntime.SetThreads(settings.Threads);
        var sizes = settings.Sweep is null ? [settings.N] : ParseSizes(settings.Sweep);
        var rows = new List<ExpressivityResult>();
        foreach (int n in sizes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            rows.Add(RunOne(settings, n));
        }
        object figures = settings.Sweep is null
            ? rows[0]
            : new SweepResult(rows, rows.FirstOrDefault(r => !r.Float32Exact)?.N, rows.FirstOrDefault(r => !r.Exact)?.N);
        if (settings.Report is not null)
        {
            TheoryReport.SaveExpressivity(settings.Report, rows);
            Shatter.Reporting.TheoryPage.Write(settings.Report);
        }
        if (settings.Json)
        {
            console.Profile.Out.Writer.WriteLine(Shatter.Json.Serialize(figures));
            return rows.All(r => r.Exact) ? 0 : 1;
        }
        Print(rows, threads);
        settings.SayWhereTheReportIs(console);
        return rows.All(r => r.Exact) ? 0 : 1;
    }

    static ExpressivityResult RunOne(Settings s, int n)
    {
        using var scope = NewDisposeScope();
        if (s.Dataset is null)
        {
            var (x, y) = ExpressivityExperiment.RandomPoints(n, s.D, s.Classes, s.Seed);
            return ExpressivityExperiment.Run($"gaussian points, d = {s.D}", x, y, s.Classes, 0, s.Seed, s.Directions, s.Depth, null, null);
        }
        if (Data.TabularDataset.IsTabular(s.Dataset)) return RunTabular(s, n);
        using var sample = TheorySample.Load(s.Dataset, s.DataDir, n, s.TestSize, s.LabelNoise, s.Seed);
        string source = s.LabelNoise == 0 ? $"{sample.Dataset}, true labels" : $"{sample.Dataset}, label noise {s.LabelNoise:0.##}";
        return ExpressivityExperiment.Run(source, sample.TrainX, sample.TrainY, sample.Classes, s.LabelNoise, s.Seed, s.Directions, s.Depth, sample.TestX, sample.TestY);
    }

    /// <summary>
    /// Theorem 1 on a regression table: min(n, rows) rows in a seeded order, features standardized per column,
    /// real targets. house-prices fits MEDV in units of $100 (MEDV × 10, the table's own precision), so "rounds
    /// to its label" means exact to the dollar amount the data records; a csv:PATH target is fitted as given.
    /// --label-noise P shuffles a fraction P of the targets among themselves.
    /// </summary>
    static ExpressivityResult RunTabular(Settings s, int n)
    {
        var table = Data.TabularDataset.Load(s.Dataset!, s.Target, s.DataDir);
        bool prices = table.Name == Data.TabularDataset.HousePrices;
        var rng = new Random(unchecked((int)Seeds.Derive(s.Seed, "tabular-subset")));
        var order = Enumerable.Range(0, table.Rows).ToArray();
        rng.Shuffle(order);
        var rows = order.Take(Math.Min(n, table.Rows)).ToArray();
        int d = table.Features.Count;
        var flat = new double[rows.Length * d];
        for (int j = 0; j < d; j++)
        {
            var column = rows.Select(r => table.X[r][j]).ToArray();
            double mean = column.Average(), std = Math.Sqrt(column.Average(v => (v - mean) * (v - mean)));
            for (int i = 0; i < rows.Length; i++) flat[i * d + j] = std > 0 ? (column[i] - mean) / std : 0;
        }
        var targets = rows.Select(r => prices ? Math.Round(table.Y[r] * 10) : table.Y[r]).ToArray();
        if (s.LabelNoise > 0) targets = Corruptions.TargetNoise.Shuffle(targets, s.LabelNoise, Seeds.Derive(s.Seed, "target-noise")).Targets;
        using var x = tensor(flat, [rows.Length, d], dtype: ScalarType.Float64);
        using var y = tensor(targets, [rows.Length], dtype: ScalarType.Float64);
        string what = prices ? "house prices (MEDV in $100, column B dropped)" : $"{table.Name} → {table.Target}";
        string source = s.LabelNoise == 0 ? $"{what}, true targets" : $"{what}, {s.LabelNoise:0.##} of targets shuffled";
        int levels = (int)Math.Max(2, Math.Ceiling(targets.Max()) + 1);
        return ExpressivityExperiment.Run(source, x, y, levels, s.LabelNoise, s.Seed, s.Directions, s.Depth, null, null);
    }

    static int[] ParseSizes(string list)
    {
        var parts = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1)
                throw new ShatterException($"--sweep takes comma-separated positive sizes such as 500,1000,2000, and '{parts[i]}' is not one.");
        if (sizes.Length == 0) throw new ShatterException("--sweep needs at least one size, such as 500,1000,2000.");
        return sizes;
    }

    void Print(IReadOnlyList<ExpressivityResult> rows, int threads)
    {
        var first = rows[0];
        console.MarkupLine($"[bold]Theorem 1[/] on {Markup.Escape(first.Source)}: c(x) = Σ_j w_j·max(⟨a,x⟩ − b_j, 0), 2n + d weights ({threads} threads)");
        var table = new Table().AddColumns("n", "d", "weights", "float64 rel. residual", "rounds to label", "smallest diagonal", "κ₁(A) estimate", "max |w|", "float32 rel. residual", "float32 rounds", "seconds");
        foreach (var r in rows)
            table.AddRow(r.N.ToString(), r.D.ToString(), r.Weights.ToString(), Fmt(r.RelativeResidual), $"{r.Float64.FractionRounded:P2}",
                Fmt(r.Float64.SmallestDiagonal), Fmt(r.Float64.ConditionEstimate), Fmt(r.Float64.MaxAbsWeight), Fmt(r.Float32RelativeResidual),
                $"{r.Float32.FractionRounded:P2}{(r.Float32.DistinctProjections ? "" : " (projections collide)")}", $"{r.Float64.Seconds + r.Float32.Seconds:F2}");
        console.Write(table);
        var inexact32 = rows.FirstOrDefault(r => !r.Float32Exact);
        console.MarkupLine(inexact32 is null
            ? "float32 is exact (every output rounds to its label) at every n here."
            : $"float32 stops being exact at n = {inexact32.N}: {inexact32.Float32.FractionRounded:P2} of outputs round to their label.");
        console.MarkupLine(rows.All(r => r.Exact) ? "float64: every output rounds to its label at every n." : "[red]float64 is not exact at some n[/].");
        foreach (var r in rows.Where(r => r.Test is not null))
            console.MarkupLine($"off the sample (n = {r.N}): {r.Test!.Accuracy:P2} of {r.Test.Count} test images round to their class (chance {r.Test.Chance:P0}); mean |output| {r.Test.MeanAbsOutput:G3}, {r.Test.FractionOutOfRange:P1} outside the label range");
        foreach (var r in rows.Where(r => r.Deep is not null))
            console.MarkupLine($"depth {r.Deep!.Depth} (n = {r.N}): widths {string.Join(",", r.Deep.HiddenWidths)}, {r.Deep.NonzeroWeights} non-zero weights, relative residual {Fmt(r.Deep.RelativeResidual)}, {r.Deep.FractionRounded:P2} round to label, max |deep − two-layer| {Fmt(r.Deep.MaxDifferenceFromTwoLayer)}");
    }

    static string Fmt(double? v) => v is null ? "—" : v.Value.ToString("G3", CultureInfo.InvariantCulture);
}
