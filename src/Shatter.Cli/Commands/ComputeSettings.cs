using System.ComponentModel;
using Spectre.Console.Cli;

namespace Shatter.Cli.Commands;

/// <summary>
/// Options every command that computes with libtorch shares, declared once: --seed and --threads
/// (measures; through <see cref="TheorySettings"/> also rademacher, vc, expressivity and kernel).
/// A command with another default thread count sets it in its settings' constructor (vc: 1); Spectre.Console.Cli
/// refuses an option declared twice, so it cannot be overridden.
/// </summary>
public class ComputeSettings : CommandSettings
{
    [CommandOption("--seed <N>")]
    [Description("Seed of every random choice (default 1).")]
    public long Seed { get; init; } = 1;

    [CommandOption("--threads <N>")]
    [Description("libtorch threads (0: libtorch's choice, the default; vc's default is 1, as its tiny tensors only make more threads wait on each other).")]
    public int Threads { get; init; }
}
