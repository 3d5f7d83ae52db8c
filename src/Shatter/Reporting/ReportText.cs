using System.Globalization;
using System.Text.Json;
using Shatter.Corruptions;

namespace Shatter.Reporting;

/// <summary>Small wording helpers the sections share.</summary>
public static class ReportText
{
    /// <summary>An input mode as the CLI and specs spell it: "random", "gaussian".</summary>
    public static string Name(InputMode mode) => JsonNamingPolicy.KebabCaseLower.ConvertName(mode.ToString());

    /// <summary>A signed difference in percentage points: "+3.2", "−0.4".</summary>
    public static string Points(double fractionDifference)
    {
        var p = fractionDifference * 100;
        return (p >= 0 ? "+" : "−") + Math.Abs(p).ToString("0.0", CultureInfo.InvariantCulture);
    }

    /// <summary>Comma-joined distinct values, or "–".</summary>
    public static string Join(IEnumerable<string> values) => values.Distinct().ToList() is { Count: > 0 } l ? string.Join(", ", l) : "–";
}
