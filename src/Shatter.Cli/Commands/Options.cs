using Shatter.Corruptions;

namespace Shatter.Cli.Commands;

/// <summary>Parses option words into Shatter's enums, with one-sentence errors naming the choices.</summary>
public static class Options
{
    public static InputMode ParseInputMode(string value) => value.ToLowerInvariant() switch
    {
        "true" or "none" => InputMode.True,
        "shuffled" or "shuffled-pixels" => InputMode.Shuffled,
        "random" or "random-pixels" => InputMode.Random,
        "gaussian" => InputMode.Gaussian,
        _ => throw new ShatterException($"unknown input mode '{value}'; use true, shuffled, random or gaussian."),
    };

    public static PermutationUnit ParseUnit(string value) => value.ToLowerInvariant() switch
    {
        "pixel" => PermutationUnit.Pixel,
        "value" => PermutationUnit.Value,
        _ => throw new ShatterException($"unknown permutation unit '{value}'; use pixel or value."),
    };

    public static TargetNoiseMode ParseTargetNoiseMode(string value) => value.ToLowerInvariant() switch
    {
        "shuffle" => TargetNoiseMode.Shuffle,
        "gaussian" => TargetNoiseMode.Gaussian,
        _ => throw new ShatterException($"unknown target noise mode '{value}'; use shuffle or gaussian."),
    };

    public static LabelNoiseMode ParseLabelNoiseMode(string value) => value.ToLowerInvariant() switch
    {
        "uniform" => LabelNoiseMode.Uniform,
        "different" => LabelNoiseMode.Different,
        "pair-flip" => LabelNoiseMode.PairFlip,
        "asymmetric" => LabelNoiseMode.Asymmetric,
        "matrix" => LabelNoiseMode.Matrix,
        "instance" => LabelNoiseMode.Instance,
        _ => throw new ShatterException($"unknown label noise mode '{value}'; use uniform, different, pair-flip, asymmetric, matrix or instance."),
    };

    public static GaussianStatistics ParseGaussianStatistics(string value) => value.ToLowerInvariant() switch
    {
        "global" => GaussianStatistics.Global,
        "per-channel" => GaussianStatistics.PerChannel,
        _ => throw new ShatterException($"unknown gaussian statistics '{value}'; use global or per-channel."),
    };

    /// <summary>--schedule: paper or constant; unset, the default for the stopping rule (constant with --until-fit).</summary>
    public static Training.LearningRateSchedule ParseSchedule(string? value, bool untilFit) => value?.ToLowerInvariant() switch
    {
        null => untilFit ? Training.LearningRateSchedule.Constant : Training.LearningRateSchedule.Paper,
        "paper" => Training.LearningRateSchedule.Paper,
        "constant" => Training.LearningRateSchedule.Constant,
        _ => throw new ShatterException($"unknown schedule '{value}'; use paper (×--lr-decay per --decay-every samples) or constant (the initial rate throughout)."),
    };
}
