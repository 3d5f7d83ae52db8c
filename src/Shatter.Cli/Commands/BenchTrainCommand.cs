using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Shatter.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Shatter.Cli.Commands;

/// <summary>
/// <c>shatter bench train</c>: Shatter's training throughput against the PyTorch anchor
/// (shared/anchors/pytorch_train.py) on the same jobs, machine and thread count. A benchmark, not a
/// test: it prints samples/s of each and their ratio.
/// </summary>
public sealed class BenchTrainCommand(IAnsiConsole console) : Command<BenchTrainCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--threads <N>"), Description("Threads for both programs (default 2).")]
        public int Threads { get; init; } = 2;
        [CommandOption("--anchor <FILE>"), Description("pytorch_train.py (default: found in ../shared/anchors or shared/anchors above the current folder).")]
        public string? Anchor { get; init; }
        [CommandOption("--python <EXE>"), Description("Python with torch (default /usr/bin/python3).")]
        public string Python { get; init; } = "/usr/bin/python3";
        [CommandOption("--data-dir <DIR>")]
        public string? DataDir { get; init; }
        [CommandOption("--jobs <LIST>"), Description("Which jobs: mlp, alexnet or mlp,alexnet (default).")]
        public string Jobs { get; init; } = "mlp,alexnet";
        [CommandOption("--device <D>"), Description("cpu (default) or cuda, for both programs.")]
        public string Device { get; init; } = "cpu";
    }

    /// <summary>One job of the benchmark, as the anchor's options name it, with the issue's goal ratio.</summary>
    sealed record Job(string Key, string Model, int TrainSize, int Epochs, bool RandomLabels, double Goal);

    static readonly Job[] AllJobs =
    [
        new("mlp", "mlp-1x512", 10_000, 5, true, 1.5),
        new("alexnet", "alexnet", 2_000, 2, false, 1.2),
    ];

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var wanted = settings.Jobs.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var jobs = AllJobs.Where(j => wanted.Contains(j.Key)).ToList();
        if (jobs.Count == 0) throw new ShatterException($"--jobs '{settings.Jobs}' names no job; use mlp, alexnet or mlp,alexnet.");
        var anchor = settings.Anchor ?? FindAnchor();
        bool anchorRuns = anchor is not null && PythonHasTorch(settings.Python);
        if (!anchorRuns)
            console.MarkupLine($"[yellow]the PyTorch anchor will not run[/]: {(anchor is null ? "pytorch_train.py not found (pass --anchor)" : $"{Markup.Escape(settings.Python)} lacks torch (apt-get install python3-torch libopenblas0-pthread)")}");

        var table = new Table().AddColumns("job", "Shatter samples/s", "PyTorch samples/s", "ratio", "goal", "Shatter train / test acc", "PyTorch train / test acc");
        var inv = CultureInfo.InvariantCulture;
        foreach (var job in jobs)
        {
            // The anchor's job: the first N training images, the full test set, lr 0.01, decay 0.95 per epoch, batch 128.
            var config = new TrainConfig
            {
                Dataset = "fashion-mnist", DataDir = settings.DataDir, TrainSize = job.TrainSize, Model = job.Model, Epochs = job.Epochs,
                LabelNoise = job.RandomLabels ? 1 : 0, LearningRate = 0.01, LearningRateDecay = 0.95, DecayEvery = job.TrainSize,
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
                console.MarkupLine(string.Create(inv, $"pytorch {job.Model}: {rate:F0} samples/s ({theirs.GetProperty("wall_seconds").GetDouble():F1} s, {theirs.GetProperty("threads").GetInt32()} threads, {Markup.Escape(theirs.GetProperty("anchor").GetString() ?? "")})"));
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

    static string? FindAnchor()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "anchors", "pytorch_train.py"), Path.Combine(dir.FullName, "..", "shared", "anchors", "pytorch_train.py") })
                if (File.Exists(candidate)) return Path.GetFullPath(candidate);
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
        foreach (var a in new[] { anchor, "--model", job.Model, "--train-size", job.TrainSize.ToString(CultureInfo.InvariantCulture), "--epochs", job.Epochs.ToString(CultureInfo.InvariantCulture), "--device", settings.Device })
            psi.ArgumentList.Add(a);
        if (job.RandomLabels) psi.ArgumentList.Add("--random-labels");
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
            throw new ShatterException($"the PyTorch anchor {anchor} failed (exit {p.ExitCode}: {stderr.Result.Trim().Split('\n').LastOrDefault()}); check that {settings.Python} has torch and the dataset is installed.");
        return JsonDocument.Parse(line).RootElement.Clone();
    }
}
