namespace Shatter.Reporting;

/// <summary>
/// What <see cref="ReportBuilder"/> wrote: the HTML page, the figures (PNG and SVG) and the CSV tables, the
/// findings of every section together, and each section's title and findings.
/// </summary>
public sealed record ReportOutcome(string HtmlPath, IReadOnlyList<string> Figures, IReadOnlyList<string> Tables, IReadOnlyList<string> Findings,
    IReadOnlyList<ReportSectionOutcome> Sections)
{
    /// <summary>The findings of one experiment's sections (its paper section and any generic one).</summary>
    public IReadOnlyList<string> FindingsOf(string experiment) => [.. Sections.Where(s => s.Experiment == experiment).SelectMany(s => s.Findings)];
}
