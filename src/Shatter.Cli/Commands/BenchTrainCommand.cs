using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Shatter.Cli.Infrastructure;
using Shatter.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Shatter.Cli.Commands;

/// <summary>
/// <c>shatter bench train</c>: Shatter's training throughput against the project's PyTorch reference
/// (bench/pytorch_train.py, shipped beside the executable) on the same jobs, machine and thread count.
/// A benchmark, not a test: it prints samples/s of each and their ratio.
/// </summary>
public sealed class BenchTrainCommand(IAnsiConsole console) : Command<BenchTrainCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--threads <N>"), Description("Threads for both programs (default 2).")]
        public int Threads { get; init; } = 2;
        [CommandOption("--anchor <FILE>"), Description("The PyTorch reference script (default: bench/pytorch_train.py beside the executable or in the checkout it was built from).")]
        public string? Anchor { get; init; }
        [CommandOption("--python <EXE>"), Description("Python with torch (default /usr/bin/python3).")]
        public string Python { get; init; } = "/usr/bin/python3";
        [CommandOption("--data-dir <DIR>"), TrainHelp(nameof(Training.TrainConfig.DataDir))]
        public string? DataDir { get; init; }
        [CommandOption("--jobs <LIST>"), Description("Which jobs, comma-separated: mlp, alexnet, inception, or all (default mlp,alexnet).")]
        public string Jobs { get; init; } = "mlp,alexnet";
        [CommandOption("--device <D>"), Description("cpu (default) or cuda, for both programs.")]
        public string Device { get; init; } = "cpu";
    }

    /// <summary>One job of the benchmark (test size 0: the whole test set), with the issue's goal ratio.</summary>
    sealed record Job(string Key, string Model, int TrainSize, int TestSize, int Epochs, bool RandomLabels, double LearningRate, double Goal);

    static readonly Job[] AllJobs =
    [
        new("mlp", "mlp-1x512", 10_000, 0, 5, true, 0.01, 1.5),
        new("alexnet", "alexnet", 2_000, 0, 2, false, 0.01, 1.2),
        // Inception trains ~50 images/s on 2 cores: 1,000 images and a 1,000-image test set keep the job near a minute
        new("inception", "inception", 1_000, 1_000, 2, false, 0.1, 1.2),
    ];

    /// <summary>Where <c>shatter bench train</c> looks for the reference when --anchor is not given.</summary>
    public const string ReferenceScript = "bench/pytorch_train.py";

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var wanted = settings.Jobs.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var unknown = wanted.Where(w => w != "all" && AllJobs.All(j => j.Key != w)).ToList();
        if (wanted.Length == 0 || unknown.Count > 0)
            throw new ShatterException($"--jobs '{settings.Jobs}' names {(unknown.Count > 0 ? $"no job '{unknown[0]}'" : "no job")}; use mlp, alexnet, inception (comma-separated) or all.");
        var jobs = AllJobs.Where(j => wanted.Contains("all") || wanted.Contains(j.Key)).ToList();
        if (settings.Anchor is not null && !File.Exists(settings.Anchor))
            throw new ShatterException($"--anchor {settings.Anchor} does not exist; give the path of a PyTorch reference script such as {ReferenceScript}.");
        var anchor = settings.Anchor ?? FindReference();
        bool anchorRuns = anchor is not null && PythonHasTorch(settings.Python);
        if (!anchorRuns)
            console.MarkupLine($"[yellow]the PyTorch anchor will not run[/]: {(anchor is null ? $"{ReferenceScript} not found beside the executable or in its checkout (pass --anchor)" : $"{Markup.Escape(settings.Python)} lacks torch (apt-get install python3-torch libopenblas0-pthread)")}");

        var table = new Table().AddColumns("job", "Shatter samples/s", "PyTorch samples/s", "ratio", "goal", "Shatter train / test acc", "PyTorch train / test acc");
        var inv = CultureInfo.InvariantCulture;
        foreach (var job in jobs)
        {
            // The job: a class-balanced subset, decay 0.95 per epoch, batch 128; the reference gets the same options.
            var config = new TrainConfig
            {
                Dataset = "fashion-mnist", DataDir = settings.DataDir, TrainSize = job.TrainSize, TestSize = job.TestSize, Model = job.Model, Epochs = job.Epochs,
                LabelNoise = job.RandomLabels ? 1 : 0, LearningRate = job.LearningRate, LearningRateDecay = 0.95, DecayEvery = job.TrainSize,
                BatchSize = 128, Threads = settings.Threads, Device = settings.Device, Seed = 1,
            };
            var dir = Directory.CreateTempSubdirectory("shatter-bench-").FullName;
            TrainSummary ours;
            try
            {
                ours = Trainer.Run(config, dir, cancellationToken: cancellationToken);
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
            console.MarkupLine(string.Create(inv, $"shatter {job.Model}: {ours.TrainSamplesPerSecond:F0} samples/s ({ours.WallSeconds:F1} s, {ours.Threads} threads)"));
            string theirsRate = "-", ratio = "-", theirsAcc = "-";
            if (anchorRuns)
            {
                var theirs = RunAnchor(settings, anchor!, job);
                double rate = theirs.GetProperty("train_samples_per_second").GetDouble();
                console.MarkupLine(string.Create(inv, $"pytorch {job.Model}: {rate:F0} samples/s ({theirs.GetProperty("wall_seconds").GetDouble():F1} s, {theirs.GetProperty("threads").GetInt32()} threads, {Markup.Escape((theirs.TryGetProperty("reference", out var r) ? r.GetString() : theirs.TryGetProperty("anchor", out var o) ? o.GetString() : null) ?? "")})"));
                theirsRate = rate.ToString("F0", inv);
                ratio = (ours.TrainSamplesPerSecond / rate).ToString("F2", inv) + "×";
                theirsAcc = string.Create(inv, $"{theirs.GetProperty("train_accuracy").GetDouble():P1} / {theirs.GetProperty("test_accuracy").GetDouble():P1}");
            }
            table.AddRow(job.Model, ours.TrainSamplesPerSecond.ToString("F0", inv), theirsRate, ratio, job.Goal.ToString("F1", inv) + "×",
                string.Create(inv, $"{ours.FinalTrainAccuracy:P1} / {ours.FinalTestAccuracy:P1}"), theirsAcc);
        }
        console.Write(table);
        console.MarkupLine($"same jobs, same machine, {settings.Threads} threads each ({Environment.ProcessorCount} cores); samples/s = training samples / wall time of the epoch loop, evaluations included.");
        return 0;
    }

    /// <summary>
    /// bench/pytorch_train.py: copied beside the executable by the build, else in a folder above the
    /// executable or the current folder (a checkout run with dotnet run or from another build output).
    /// </summary>
    public static string? FindReference()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, ReferenceScript);
                if (File.Exists(candidate)) return Path.GetFullPath(candidate);
            }
        return null;
    }

    static bool PythonHasTorch(string python)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(python, ["-c", "import torch"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    static JsonElement RunAnchor(Settings settings, string anchor, Job job)
    {
        var psi = new ProcessStartInfo(settings.Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        var inv = CultureInfo.InvariantCulture;
        foreach (var a in new[] { anchor, "--model", job.Model, "--train-size", job.TrainSize.ToString(inv), "--test-size", job.TestSize.ToString(inv),
                     "--epochs", job.Epochs.ToString(inv), "--lr", job.LearningRate.ToString("R", inv), "--decay-every", job.TrainSize.ToString(inv),
                     "--label-noise", job.RandomLabels ? "1" : "0", "--device", settings.Device })
            psi.ArgumentList.Add(a);
        if (settings.DataDir is not null) { psi.ArgumentList.Add("--data-dir"); psi.ArgumentList.Add(settings.DataDir); }
        psi.Environment["OMP_NUM_THREADS"] = settings.Threads.ToString(CultureInfo.InvariantCulture);
        psi.Environment["MKL_NUM_THREADS"] = settings.Threads.ToString(CultureInfo.InvariantCulture);
        psi.Environment["OPENBLAS_NUM_THREADS"] = settings.Threads.ToString(CultureInfo.InvariantCulture);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        var line = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.TrimStart().StartsWith('{'));
        if (p.ExitCode != 0 || line is null)
            throw new ShatterException($"the PyTorch reference {anchor} failed (exit {p.ExitCode}: {stderr.Result.Trim().Split('\n').LastOrDefault()}); check that {settings.Python} has torch and the dataset is installed.");
        return JsonDocument.Parse(line).RootElement.Clone();
    }
}
