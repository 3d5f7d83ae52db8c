using Shatter.Training;

namespace Shatter.Cli.Infrastructure;

/// <summary>Range checks of command options that are training options under another command (sweep's --threads), from the option's one description.</summary>
public static class TrainRange
{
    /// <summary>"--threads must be 0 (libtorch's default) or positive, not -1." when <paramref name="value"/> is outside the range of <paramref name="property"/>'s option; null otherwise.</summary>
    public static string? Problem(string property, object? value) =>
        TrainOption.Of(property).Problem(value, OptionSpelling.Cli) is { } problem ? problem + "." : null;
}
