namespace Shatter.Reporting.Sections;

/// <summary>Section 5 and Theorem 1: what <c>shatter kernel|expressivity --report DIR</c> saved beside the database.</summary>
public sealed class TheorySection : IReportSection
{
    public string? Experiment => null;
    public string Title => "Theory";

    public bool Applies(ReportContext context) => Theory.TheoryReport.Section(context.ResultsFolder) is not null;

    public IReadOnlyList<string> Write(ReportContext context, ReportWriter w)
    {
        if (Theory.TheoryReport.Section(context.ResultsFolder) is { } html) w.Raw(html);
        return [];
    }
}
