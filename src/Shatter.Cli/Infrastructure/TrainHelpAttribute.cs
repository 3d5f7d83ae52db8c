using System.ComponentModel;
using Shatter.Training;

namespace Shatter.Cli.Infrastructure;

/// <summary>
/// The help of a command-line option that is a training option, taken from its one description (the
/// <see cref="OptionAttribute"/> on <see cref="TrainConfig"/>): its text and default. Spectre.Console.Cli reads it as the
/// option's <see cref="DescriptionAttribute"/>. <c>[TrainHelp(nameof(TrainConfig.Threads))]</c>; the settings' value is
/// parsed by the same option (<see cref="TrainOption.Parse"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class TrainHelpAttribute(string property) : DescriptionAttribute
{
    /// <summary>The <see cref="TrainConfig"/> property whose option this is.</summary>
    public string Property { get; } = property;

    /// <summary>The command requires this option (train: --model), so its help says so in place of the default.</summary>
    public bool Required { get; set; }

    public TrainOption Option => TrainOption.Of(Property);

    public override string Description =>
        Required ? $"{Option.Help} Required." : Option.IsFlag ? Option.Help : $"{Option.Help} Default: {Option.Default}.";
}
