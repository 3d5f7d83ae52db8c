namespace Shatter.Training;

/// <summary>
/// What summary.json says of a task's data: the sizes of its training and test sets, the fractions of training labels
/// (targets) and inputs the randomization changed, and the realized label transition counts [true][noisy] (empty
/// where there are no classes). <see cref="Measures"/>: what a task measures beyond the four scores of a row (summary.json's
/// "measures", snake_case names; null: none).
/// </summary>
public sealed record TaskSummary(int TrainSize, int TestSize, double FractionLabelsChanged, double FractionInputsChanged, long[][]? LabelTransition)
{
    public IReadOnlyDictionary<string, double>? Measures { get; init; }
}
