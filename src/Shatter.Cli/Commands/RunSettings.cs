using System.ComponentModel;
using Shatter.Cli.Infrastructure;
using Shatter.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Shatter.Cli.Commands;

/// <summary>
/// Options of the commands that run a sweep's runs (sweep, reproduce, worker), declared once: the database, how the
/// runs execute here (--data-dir, --device, --threads: they override the spec's, never a run's identity) and
/// --retries. Ranges and words are the training options' (<see cref="TrainOption"/>).
/// </summary>
public class RunSettings : DatabaseSettings
{
    [CommandOption("--data-dir <DIR>"), TrainHelp(nameof(TrainConfig.DataDir))]
    public string? DataDir { get; init; }

    [CommandOption("--device <DEVICE>")]
    [Description("cpu, cuda or auto (default: the spec's, cpu).")]
    public string? Device { get; init; }

    [CommandOption("--threads <N>")]
    [Description("libtorch threads per worker (sweep and reproduce default: the cores divided among the workers; worker: the spec's; 0: libtorch's choice).")]
    public int? Threads { get; init; }

    [CommandOption("--retries <N>")]
    [Description("Times a run that dies of an unexpected error is tried again within the sweep, from its checkpoint (default 2; 0: never). Errors you must fix (a bad option, missing data) are not retried.")]
    public int Retries { get; init; } = 2;

    public override ValidationResult Validate()
    {
        if (Retries < 0) return ValidationResult.Error($"--retries must be 0 (no retries) or positive, not {Retries}.");
        if (TrainRange.Problem(nameof(TrainConfig.Threads), Threads) is { } threads) return ValidationResult.Error(threads);
        if (Device is not null)
        {
            try
            {
                TrainOption.Of(nameof(TrainConfig.Device)).Parse(Device, OptionSpelling.Cli);
            }
            catch (FormatException e)
            {
                return ValidationResult.Error(e.Message + ".");
            }
        }
        return ValidationResult.Success();
    }
}
