using System.Globalization;

namespace Shatter.Training;

/// <summary>
/// How a task's score reads: its <see cref="Name"/> in sentences ("accuracy", "R²"), its TensorBoard tag stem
/// (<see cref="Tag"/>: "accuracy" logs accuracy/train and accuracy/test) and the .NET <see cref="Format"/> of one value.
/// </summary>
public sealed record TaskScore(string Name, string Tag, string Format)
{
    public static readonly TaskScore Accuracy = new("accuracy", "accuracy", "P2");
    public static readonly TaskScore RSquared = new("R²", "r2", "0.0000");

    public string Show(double value) => value.ToString(Format, CultureInfo.InvariantCulture);
}
