using Shatter.Reporting.Analysis;

namespace Shatter.Reporting.Sections;

/// <summary>Every attempt (number, worker, start, end, outcome, error) of the runs that were retried or did not finish.</summary>
public sealed class AttemptsSection : IReportSection
{
    public string? Experiment => null;
    public string Title => "Attempts";

    public bool Applies(ReportContext context) => context.Runs.Count > 0;

    public IReadOnlyList<string> Write(ReportContext context, ReportWriter w)
    {
        var table = AttemptsTable.Of([.. context.Distinct.Select(r => r.Record)], context.Attempts);
        w.Heading(2, Title);
        if (table.Rows.Count == 0) w.Paragraph("Every run finished at its first attempt.");
        w.Table(table, "attempts", table.Rows.Count == 0 ? null
            : "Runs that needed more than one attempt or did not finish: each attempt, its times, outcome and error. A sweep tries a run that dies of an unexpected error again from its checkpoint (--retries); an error the user must fix is not retried.",
            show: table.Rows.Count > 0);
        return [];
    }
}
