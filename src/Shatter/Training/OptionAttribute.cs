namespace Shatter.Training;

/// <summary>
/// The one description of a training option, on its <see cref="TrainConfig"/> property: the command-line spelling
/// (<c>--label-noise &lt;P&gt;</c>; a flag has no placeholder), the help, the range and, where the property's
/// initial value does not say it, the default in words. The spec key is the property's snake_case name (its run.json
/// name). <see cref="TrainOption"/> reads these; the CLI, the spec keys, <see cref="TrainConfig.Validate"/> and
/// docs/options.md come from it.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class OptionAttribute(string cli, string help) : Attribute
{
    /// <summary>"--label-noise &lt;P&gt;", or a flag such as "--until-fit" (sets true) or "--no-whiten" (with <see cref="Negated"/>).</summary>
    public string Cli { get; } = cli;
    public string Help { get; } = help;

    /// <summary>Smallest allowed value (numbers); <see cref="MinExclusive"/>: the value itself is not allowed.</summary>
    public double Min { get; set; } = double.NegativeInfinity;
    public bool MinExclusive { get; set; }
    /// <summary>Largest allowed value (numbers); <see cref="MaxExclusive"/>: the value itself is not allowed.</summary>
    public double Max { get; set; } = double.PositiveInfinity;
    public bool MaxExclusive { get; set; }
    /// <summary>The range in words where the bounds alone do not say what a value means ("0 (all) or positive").</summary>
    public string? Range { get; set; }

    /// <summary>The default in words, where the property's initial value does not say it (it depends on other options).</summary>
    public string? Default { get; set; }
    /// <summary>A flag that sets the property to false (<c>--no-whiten</c> sets <see cref="TrainConfig.Whiten"/> false).</summary>
    public bool Negated { get; set; }
    /// <summary>The words a text option takes (device: cpu, cuda, auto); with <see cref="List"/>, a comma list of them.</summary>
    public string[]? Words { get; set; }
    public bool List { get; set; }
    /// <summary>What one value is called in "unknown input mode 'x'" (default: the enum's name in words).</summary>
    public string? Noun { get; set; }
    /// <summary>Names are case-insensitive: the value is lower-cased (a <c>csv:</c> dataset keeps its path as written).</summary>
    public bool Lowercase { get; set; }
}
