namespace Shatter.Reporting;

/// <summary>Mean, minimum and maximum of a value over seeds (the report's spread).</summary>
public readonly record struct Spread(double Mean, double Min, double Max, int Count)
{
    public static Spread Of(IEnumerable<double> values)
    {
        var v = values.Where(x => !double.IsNaN(x)).ToList();
        return v.Count == 0 ? new Spread(double.NaN, double.NaN, double.NaN, 0) : new Spread(v.Average(), v.Min(), v.Max(), v.Count);
    }

    /// <summary>"0.912" or "0.912 (0.905–0.920, 3 seeds)".</summary>
    public string Format(string format = "0.000") => Count switch
    {
        0 => "–",
        1 => Mean.ToString(format, System.Globalization.CultureInfo.InvariantCulture),
        _ => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Mean.ToString(format)} ({Min.ToString(format)}–{Max.ToString(format)}, {Count} seeds)"),
    };
}
