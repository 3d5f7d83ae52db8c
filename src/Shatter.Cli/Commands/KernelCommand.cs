using System.ComponentModel;
using System.Globalization;
using Shatter.Cli.Infrastructure;
using Shatter.Data;
using Shatter.Runtime;
using Shatter.Theory;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Shatter.Cli.Commands;

/// <summary>
/// <c>shatter kernel</c>: minimum-norm interpolation Kα = y of one-hot labels on raw pixels in [0, 1]
/// (or random-convolution features), with training and test error, RKHS norm, residual and timings;
/// <c>--label-noise-sweep</c> repeats it over noise levels on one factorization.
/// </summary>
public sealed class KernelCommand(IAnsiConsole console) : Command<KernelCommand.Settings>
{
    public sealed class Settings : TheorySettings
    {
        [CommandOption("--dataset <NAME>")]
        [Description("fashion-mnist (default), mnist, cifar10, cifar100 or cifar100-coarse.")]
        public string Dataset { get; init; } = DatasetCatalog.Default;

        [CommandOption("--data-dir <DIR>"), TrainHelp(nameof(Training.TrainConfig.DataDir))]
        public string? DataDir { get; init; }

        [CommandOption("--train-size <N>")]
        [Description("Class-balanced training subset (default 10000; 0: the whole training set).")]
        public int TrainSize { get; init; } = 10000;

        [CommandOption("--test-size <N>")]
        [Description("Class-balanced test subset (default 0: the whole test set).")]
        public int TestSize { get; init; }

        [CommandOption("--kernel <KIND>")]
        [Description("gaussian (default), linear or polynomial.")]
        public string Kernel { get; init; } = "gaussian";

        [CommandOption("--bandwidth <GAMMA>")]
        [Description("γ: gaussian exp(−γ‖x − z‖²), default 0.02 on pixels in [[0, 1]]; polynomial (γ⟨x, z⟩ + c₀)^degree, default 1/d.")]
        public double? Bandwidth { get; init; }

        [CommandOption("--degree <N>")]
        [Description("Polynomial degree (default 3).")]
        public int Degree { get; init; } = 3;

        [CommandOption("--coef0 <C>")]
        [Description("Polynomial offset c₀ (default 1).")]
        public double Coef0 { get; init; } = 1;

        [CommandOption("--features <KIND>")]
        [Description("pixels (default: raw pixels in [[0, 1]]) or random-conv (random 5×5 convolution, ReLU, average pooling).")]
        public string Features { get; init; } = "pixels";

        [CommandOption("--filters <N>")]
        [Description("Random filters for --features random-conv (default 32).")]
        public int Filters { get; init; } = 32;

        [CommandOption("--pool <P>")]
        [Description("Average-pooling window of --features random-conv (default 2).")]
        public int Pool { get; init; } = 2;

        [CommandOption("--label-noise <P>")]
        [Description("Redraw each training label uniformly with probability P (default 0; 1: random labels).")]
        public double LabelNoise { get; init; }

        [CommandOption("--label-noise-sweep <LIST>")]
        [Description("Comma-separated noise levels such as 0,0.2,0.4,0.6,0.8,1, solved on one factorization.")]
        public string? LabelNoiseSweep { get; init; }

        [CommandOption("--precision <P>")]
        [Description("Kernel matrix and factor: auto (default: mixed if K in float64 plus a float32 factor take at most half the memory, else float64 if K does, else float32), mixed (float64 K, float32 factor refined to the float64 solution), float32 or float64.")]
        public string Precision { get; init; } = "auto";

        [CommandOption("--ridge <LAMBDA>")]
        [Description("Solve (K + λI)α = y instead (default 0: interpolation).")]
        public double Ridge { get; init; }

        [CommandOption("--max-refinements <N>")]
        [Description("Iterative-refinement steps at most, residuals in float64 (default 3).")]
        public int MaxRefinements { get; init; } = 3;

        [CommandOption("--tolerance <T>")]
        [Description("Stop refining at this relative residual (default 1e-6).")]
        public double Tolerance { get; init; } = 1e-6;

        [CommandOption("--block <N>")]
        [Description("Block size of the kernel build and the factorization (default 1024).")]
        public int Block { get; init; } = 1024;

        [CommandOption("--export-indices <FILE>")]
        [Description("Write the chosen training indices as JSON (for an independent implementation to use the same subset).")]
        public string? ExportIndices { get; init; }

        public override ValidationResult Validate()
        {
            if (TrainSize < 0) return ValidationResult.Error($"--train-size must be 0 (all) or positive, not {TrainSize}.");
            if (TestSize < 0) return ValidationResult.Error($"--test-size must be 0 (all) or positive, not {TestSize}.");
            if (Bandwidth is { } g && !(g > 0)) return ValidationResult.Error($"--bandwidth must be positive, not {g}.");
            if (!(LabelNoise >= 0 && LabelNoise <= 1)) return ValidationResult.Error($"--label-noise must be a probability between 0 and 1, not {LabelNoise}.");
            if (!(Ridge >= 0)) return ValidationResult.Error($"--ridge must be 0 or positive, not {Ridge}.");
            if (!(Tolerance >= 0)) return ValidationResult.Error($"--tolerance must be 0 or positive, not {Tolerance}.");
            if (MaxRefinements < 0) return ValidationResult.Error($"--max-refinements must be 0 or more, not {MaxRefinements}.");
            if (Block < 16) return ValidationResult.Error($"--block must be at least 16, not {Block}.");
            return ValidationResult.Success();
        }
    }

    /// <summary>The JSON of a sweep: one result per noise level.</summary>
    public sealed record SweepResult(IReadOnlyList<KernelResult> Sweep);

    public sealed record IndexExport(string Dataset, int TrainSize, long Seed, long[] TrainIndices, string Test);

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        TorchRuntime.SetThreads(settings.Threads);
        var kind = KernelFunction.ParseKind(settings.Kernel);
        var noises = settings.LabelNoiseSweep is null ? [settings.LabelNoise] : ParseNoises(settings.LabelNoiseSweep);
        string features = settings.Features.ToLowerInvariant() switch
        {
            "pixels" or "raw" => "pixels",
            "random-conv" => "random-conv",
            _ => throw new ShatterException($"unknown features '{settings.Features}'; use pixels or random-conv."),
        };
        Action<string>? log = settings.Json ? null : m => console.MarkupLine($"[grey]{Markup.Escape(m)}[/]");
        var sample = TheorySample.Load(settings.Dataset, settings.DataDir, settings.TrainSize, settings.TestSize, noises[0], settings.Seed);
        if (settings.ExportIndices is not null)
        {
            var export = new IndexExport(sample.Dataset, sample.N, settings.Seed, sample.TrainIndices.data<long>().ToArray(), settings.TestSize == 0 ? "all" : $"class-balanced {settings.TestSize}");
            AtomicFile.WriteAllText(settings.ExportIndices, Shatter.Json.Serialize(export));
        }
        if (features == "random-conv")
        {
            var (train, test) = RandomConvFeatures.Transform(sample.TrainX, sample.TestX, sample.ImageShape, settings.Filters, settings.Seed, settings.Pool);
            sample = sample.WithFeatures(train, test);
            features = $"random-conv ({settings.Filters} filters, pool {settings.Pool}, {sample.D} features)";
        }
        using (sample)
        {
            var kernel = KernelFunction.Create(kind, settings.Bandwidth, settings.Degree, settings.Coef0, sample.D);
            var options = new KernelExperiment.Options(settings.Precision, settings.Ridge, settings.MaxRefinements, settings.Tolerance, settings.Block, features);
            var results = KernelExperiment.Run(sample, kernel, noises, settings.Seed, options, log);
            if (settings.Report is not null)
            {
                TheoryReport.SaveKernel(settings.Report, results);
                Shatter.Reporting.TheoryPage.Write(settings.Report);
            }
            if (settings.Json)
            {
                console.Profile.Out.Writer.WriteLine(settings.LabelNoiseSweep is null ? Shatter.Json.Serialize(results[0]) : Shatter.Json.Serialize(new SweepResult(results)));
                return 0;
            }
            Print(results);
            settings.SayWhereTheReportIs(console);
            return 0;
        }
    }

    static double[] ParseNoises(string list)
    {
        var parts = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) throw new ShatterException("--label-noise-sweep needs at least one level, such as 0,0.2,0.4,0.6,0.8,1.");
        var noises = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out noises[i]) || !(noises[i] >= 0 && noises[i] <= 1))
                throw new ShatterException($"--label-noise-sweep takes probabilities between 0 and 1 such as 0,0.2,0.4, and '{parts[i]}' is not one.");
        return noises;
    }

    void Print(IReadOnlyList<KernelResult> results)
    {
        var r0 = results[0];
        console.MarkupLine($"[bold]minimum-norm interpolation[/] on {Markup.Escape(r0.Dataset)}: {r0.TrainSize} training, {r0.TestSize} test, {Markup.Escape(r0.Features)}, d = {r0.Dimension}");
        console.MarkupLine($"kernel {Markup.Escape(r0.Kernel)}, {r0.Precision} factor, ridge {r0.Ridge}, {r0.Threads} threads; kernel built in {r0.KernelSeconds:F1} s, factored in {r0.FactorSeconds:F1} s");
        var table = new Table().AddColumns("label noise", "labels changed", "train error", "test error", "RKHS norm", "relative residual", "refinements", "solve s", "predict s");
        foreach (var r in results)
            table.AddRow(r.LabelNoise.ToString("0.##", CultureInfo.InvariantCulture), $"{r.FractionChanged:P1}", $"{r.TrainError:P2}", $"{r.TestError:P2}",
                r.RkhsNorm.ToString("F2", CultureInfo.InvariantCulture), r.RelativeResidual.ToString("G3", CultureInfo.InvariantCulture), r.Refinements.ToString(),
                r.SolveSeconds.ToString("F1", CultureInfo.InvariantCulture), r.PredictSeconds.ToString("F1", CultureInfo.InvariantCulture));
        console.Write(table);
    }
}
