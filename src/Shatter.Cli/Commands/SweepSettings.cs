using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Shatter.Cli.Commands;

/// <summary>Options shared by <c>shatter sweep</c> and <c>shatter reproduce</c>: scale, workers and the spec's dataset (the rest: <see cref="RunSettings"/>).</summary>
public class SweepSettings : RunSettings
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

    [CommandOption("--dataset <NAME>")]
    [Description("Replace the spec's dataset (changes the runs' identities).")]
    public string? Dataset { get; init; }

    [CommandOption("--yes")]
    [Description("Register a grid of more than 10,000 runs (without it, such a grid is refused with its size).")]
    public bool Yes { get; init; }

    public override ValidationResult Validate()
    {
        if (Workers is < 1) return ValidationResult.Error($"--workers must be at least 1, not {Workers}.");
        return base.Validate();
    }
}
