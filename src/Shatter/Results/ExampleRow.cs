namespace Shatter.Results;

/// <summary>One row of examples.csv: whether a training example was corrupted and from which epoch on it stays fitted (−1: never).</summary>
public sealed record ExampleRow(int Index, bool LabelChanged, bool InputChanged, int FirstFitEpoch);
