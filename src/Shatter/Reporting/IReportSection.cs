namespace Shatter.Reporting;

/// <summary>
/// One section of the report: its analysis (pure functions of the runs, in Reporting/Analysis) and its
/// rendering through the shared <see cref="ReportWriter"/>. To add a section (measures, attacks, noise):
/// implement this, and list it in <see cref="ReportBuilder.Sections"/>; its findings are printed by
/// <c>shatter report</c> under its title, and by <c>shatter reproduce</c> when <see cref="Experiment"/> is the one reproduced.
/// </summary>
public interface IReportSection
{
    /// <summary>The spec this section reports (a report named after it shows it first), or null for database-wide sections.</summary>
    string? Experiment { get; }

    /// <summary>The section's heading.</summary>
    string Title { get; }

    /// <summary>Whether the database holds anything for this section.</summary>
    bool Applies(ReportContext context);

    /// <summary>Writes the section and returns its findings (each "✓ …" or "✗ …" against the paper, or a plain measurement for user specs).</summary>
    IReadOnlyList<string> Write(ReportContext context, ReportWriter writer);
}

/// <summary>The findings of one section, as the CLI prints them.</summary>
public sealed record ReportSectionOutcome(string? Experiment, string Title, IReadOnlyList<string> Findings);
