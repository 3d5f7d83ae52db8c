namespace Shatter.Training;

/// <summary>
/// What summary.json says of a task's data: the sizes of its training and test sets, the fractions of training labels
/// (targets) and inputs the randomization changed, and the realized label transition counts [true][noisy] (empty
/// where there are no classes).
/// </summary>
public sealed record TaskSummary(int TrainSize, int TestSize, double FractionLabelsChanged, double FractionInputsChanged, long[][]? LabelTransition);
