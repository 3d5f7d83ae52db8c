namespace Shatter.Results;

/// <summary>
/// The measures of one run as stored in its folder (measures.json) and in the database: scalar values by
/// name, series (percentiles of the margins) by name, and for each group computed the settings it was
/// computed with, so a rerun with the same settings skips it.
/// </summary>
public sealed record MeasureFile
{
    public const string FileName = "measures.json";

    public Dictionary<string, string> Groups { get; init; } = [];
    public SortedDictionary<string, double?> Values { get; init; } = [];
    public SortedDictionary<string, double[]> Series { get; init; } = [];
    /// <summary>Seconds each group took to compute.</summary>
    public Dictionary<string, double> Seconds { get; init; } = [];
    /// <summary>Per group, why some of its measures are missing (a TorchScript model's layer measures: not defined).</summary>
    public SortedDictionary<string, string> Notes { get; init; } = [];

    public double? Value(string name) => Values.TryGetValue(name, out var v) ? v : null;
}
