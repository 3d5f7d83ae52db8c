using System.ComponentModel;
using Spectre.Console.Cli;

namespace Shatter.Cli.Commands;

/// <summary>Options shared by <c>shatter sweep</c> and <c>shatter reproduce</c>: scale, workers and execution.</summary>
public class SweepSettings : CommandSettings
{
    [CommandOption("--scale <SCALE>")]
    [Description("Scale of the spec: dry-run (seconds), quick (default; Fashion-MNIST, MLPs, CPU) or paper (CIFAR-10, the paper's models).")]
    public string Scale { get; init; } = "quick";

    [CommandOption("--workers <N>")]
    [Description("Worker processes sharing the database (default on the CPU: one per core, 1 thread each; on a GPU: 1); each takes a share of the cores unless --threads is given.")]
    public int? Workers { get; init; }

    [CommandOption("--fail-fast")]
    [Description("Stop at the first failed run (default: mark it failed, go on; the next sweep retries it).")]
    public bool FailFast { get; init; }

    [CommandOption("--retries <N>")]
    [Description("Times a run that dies of an unexpected error is tried again within the sweep, from its checkpoint (default 2; 0: never). Errors you must fix (a bad option, missing data) are not retried.")]
    public int Retries { get; init; } = 2;

    [CommandOption("--dataset <NAME>")]
    [Description("Replace the spec's dataset (changes the runs' identities).")]
    public string? Dataset { get; init; }

    [CommandOption("--data-dir <DIR>")]
    [Description("Folder holding the dataset files (default: $SHATTER_DATA, then /usr/share/datasets/<name>).")]
    public string? DataDir { get; init; }

    [CommandOption("--device <DEVICE>")]
    [Description("cpu, cuda or auto (default: the spec's, cpu).")]
    public string? Device { get; init; }

    [CommandOption("--threads <N>")]
    [Description("libtorch threads per worker (default: the cores divided among the workers).")]
    public int? Threads { get; init; }

    [CommandOption("--yes")]
    [Description("Register a grid of more than 10,000 runs (without it, such a grid is refused with its size).")]
    public bool Yes { get; init; }

    /// <summary>
    /// --workers, else one per core on the CPU (small runs use one libtorch thread far better than two:
    /// measured in experiments/README.md) and 1 on a GPU, never more than <paramref name="runs"/>; 1 when
    /// this process cannot start copies of itself (<paramref name="canStartWorkers"/> false: the CLI hosted in a test).
    /// </summary>
    public int EffectiveWorkers(int runs, bool canStartWorkers)
    {
        if (Workers is { } w) return w;
        bool cpu = Device is null || Device.Equals("cpu", StringComparison.OrdinalIgnoreCase);
        return canStartWorkers && cpu ? Math.Max(1, Math.Min(Environment.ProcessorCount, runs)) : 1;
    }

    public override Spectre.Console.ValidationResult Validate()
    {
        if (Workers is < 1) return Spectre.Console.ValidationResult.Error($"--workers must be at least 1, not {Workers}.");
        if (Retries < 0) return Spectre.Console.ValidationResult.Error($"--retries must be 0 (no retries) or positive, not {Retries}.");
        if (Threads is < 0) return Spectre.Console.ValidationResult.Error($"--threads must be 0 (libtorch's default) or positive, not {Threads}.");
        return Spectre.Console.ValidationResult.Success();
    }
}
