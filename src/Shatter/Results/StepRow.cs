namespace Shatter.Results;

/// <summary>One row of steps.csv: the training loss of one optimisation step.</summary>
public sealed record StepRow(long Step, int Epoch, double LearningRate, double Loss);
