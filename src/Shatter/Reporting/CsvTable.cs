using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Shatter.Reporting;

/// <summary>
/// A small table written as CSV (invariant culture, quoted where needed) and shown as HTML. One key convention for
/// every CSV of the report: enum values as the CLI and specs spell them ("gaussian", "pair-flip"), booleans "true"/"false",
/// measures by their name (as in docs/measures.md), never a display label.
/// </summary>
public sealed class CsvTable(params string[] columns)
{
    readonly List<string[]> rows = [];

    public IReadOnlyList<string> Columns => columns;
    public IReadOnlyList<string[]> Rows => rows;

    public void Add(params object?[] cells)
    {
        if (cells.Length != columns.Length) throw new ArgumentException($"{cells.Length} cells for {columns.Length} columns");
        rows.Add([.. cells.Select(Format)]);
    }

    public static string Format(object? value) => value switch
    {
        null => "",
        double d when double.IsNaN(d) => "",
        double d when d != 0 && Math.Abs(d) < 1e-4 => d.ToString("G6", CultureInfo.InvariantCulture),  // residuals of 1e-15 are not 0
        double d => d.ToString("0.######", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        Enum e => JsonNamingPolicy.KebabCaseLower.ConvertName(e.ToString()),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Text(value.ToString() ?? ""),
    };

    /// <summary>
    /// A text cell (a spec's axis label, a run's name, an error) that a spreadsheet would run as a formula — one that starts
    /// with =, +, -, @, a tab or a carriage return — gets a leading apostrophe (OWASP's advice on CSV injection); numbers
    /// are formatted above and never pass here.
    /// </summary>
    static string Text(string s) => s.Length > 0 && "=+-@\t\r".Contains(s[0]) ? "'" + s : s;

    public string ToCsv()
    {
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(",", columns.Select(Quote)));
        foreach (var row in rows) sb.AppendLine(string.Join(",", row.Select(Quote)));
        return sb.ToString();
    }

    static string Quote(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? $"\"{s.Replace("\"", "\"\"")}\"" : s;
}
