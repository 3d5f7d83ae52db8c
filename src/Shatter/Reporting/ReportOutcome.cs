namespace Shatter.Reporting;

/// <summary>What <see cref="ReportBuilder"/> wrote: the HTML page, the figures (PNG and SVG) and the CSV tables, and the findings it checked.</summary>
public sealed record ReportOutcome(string HtmlPath, IReadOnlyList<string> Figures, IReadOnlyList<string> Tables, IReadOnlyList<string> Findings);
