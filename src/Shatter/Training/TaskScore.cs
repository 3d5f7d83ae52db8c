using System.Globalization;

namespace Shatter.Training;

/// <summary>
/// How a task's score reads: its <see cref="Name"/> in sentences ("accuracy", "R²"), its TensorBoard tag stem
/// (<see cref="Tag"/>: "accuracy" logs accuracy/train and accuracy/test), the .NET <see cref="Format"/> of one value and
/// its <see cref="Brief"/> name in progress lines ("acc"). Which task has which score: <see cref="Tasks.TrainingTasks"/>.
/// </summary>
public sealed record TaskScore(string Name, string Tag, string Format, string Brief)
{
    public static readonly TaskScore Accuracy = new("accuracy", "accuracy", "P2", "acc");
    public static readonly TaskScore RSquared = new("R²", "r2", "0.0000", "R²");
    public static readonly TaskScore SuccessRate = new("success rate", "success", "P2", "success");
    public static readonly TaskScore Reconstruction = new("reconstruction score (1 − MSE/variance)", "reconstruction", "0.0000", "1−MSE/var");

    /// <summary>The score of runs of several tasks together (a grid that mixes them): a number with no unit.</summary>
    public static readonly TaskScore Mixed = new("score", "score", "0.000", "score");

    /// <summary>Whether a value is a fraction of examples, levels, … (shown in %, between 0 and 1); R² and 1 − MSE/variance are not.</summary>
    public bool IsFraction => Format.StartsWith('P');

    public string Show(double value) => value.ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>One value in a sentence: "98.3%" for a fraction, "0.855" otherwise, "undefined" for NaN (R² of constant targets).</summary>
    public string Short(double value) =>
        double.IsNaN(value) ? "undefined"
        : IsFraction ? Percent(value)
        : value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>"98.3%": a fraction in percent, one decimal, invariant culture (every finding and table writes fractions so).</summary>
    public static string Percent(double fraction) => (fraction * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
