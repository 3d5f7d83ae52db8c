namespace Shatter.Results;

/// <summary>
/// What a finished run leaves: its summary and run.json texts, its metrics and its memorization measures (if it took
/// them), stored in one transaction with its 'done' status.
/// </summary>
public sealed record RunResult(
    string SummaryJson,
    string? RunJson,
    IReadOnlyList<Training.EpochMetrics> Epochs,
    IReadOnlyList<StepRow> Steps,
    IReadOnlyList<ExampleRow> Examples,
    double Seconds,
    MemorizationFile? Memorization = null);
