namespace Shatter.Results;

/// <summary>
/// A spec's optional <c>report:</c> map, which overrides the generic report section's defaults:
/// <c>x</c> (the axis the final metrics are plotted against), <c>series</c> (the axis that gives one line per
/// value), <c>panels</c> (the axis that gives one learning-curve panel per value) and <c>metrics</c> (which
/// final metrics to plot). Axis names are checked against the spec's grid when the spec is read.
/// </summary>
public sealed record ReportHints(string? X = null, string? Series = null, string? Panels = null, IReadOnlyList<string>? Metrics = null)
{
    public static readonly IReadOnlyList<string> Keys = ["x", "series", "panels", "metrics"];

    /// <summary>The final metrics the generic section can plot, by their spec names.</summary>
    public static readonly IReadOnlyList<string> MetricNames = ["steps_to_fit", "train_accuracy", "test_accuracy", "generalization_gap", "wall_seconds"];
}
