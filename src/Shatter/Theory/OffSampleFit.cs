namespace Shatter.Theory;

/// <summary>
/// What a memorizing network predicts on points it never saw: the test accuracy of its outputs rounded
/// to the nearest class (clamped to 0..classes−1), chance level, and how wild the outputs are
/// (mean |output|, fraction outside [0, classes − 1]).
/// </summary>
public sealed record OffSampleFit(int Count, double Accuracy, double Chance, double MeanAbsOutput, double FractionOutOfRange);
