using System.Globalization;
using System.Reflection;
using Shatter.Training;
using Spectre.Console.Cli;

namespace Shatter.Cli.Infrastructure;

/// <summary>
/// Checks every command's options before it runs, in one place: a number must be finite ("1e400" converts to infinity,
/// "NaN" to NaN, and no option means either), and <c>--threads</c>, wherever a command takes it, is in the range of the
/// training option (one description, one sentence). Training options given as text are parsed by
/// <see cref="TrainOption"/>, which refuses the same.
/// </summary>
public sealed class OptionChecks : ICommandInterceptor
{
    public void Intercept(CommandContext context, CommandSettings settings)
    {
        foreach (var p in settings.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetCustomAttribute<CommandOptionAttribute>() is not { } option) continue;
            var value = p.GetValue(settings);
            var name = "--" + option.LongNames[0];
            double? number = value switch
            {
                double d => d,
                float f => f,
                _ => null,
            };
            if (number is { } x && !double.IsFinite(x))
                throw new ShatterException($"{name} must be a finite number, not {x.ToString(CultureInfo.InvariantCulture)}.");
            if (name == TrainOption.Of(nameof(TrainConfig.Threads)).Cli && value is int && TrainRange.Problem(nameof(TrainConfig.Threads), value) is { } problem)
                throw new ShatterException(problem);
        }
    }
}
