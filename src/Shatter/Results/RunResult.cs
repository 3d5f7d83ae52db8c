namespace Shatter.Results;

/// <summary>What a finished run leaves: its summary and run.json texts and its metrics, stored in one transaction.</summary>
public sealed record RunResult(
    string SummaryJson,
    string? RunJson,
    IReadOnlyList<Training.EpochMetrics> Epochs,
    IReadOnlyList<StepRow> Steps,
    IReadOnlyList<ExampleRow> Examples,
    double Seconds);
