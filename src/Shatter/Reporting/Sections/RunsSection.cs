namespace Shatter.Reporting.Sections;

/// <summary>Every run of the scale: spec, grid point, status, attempts, times, how it ended and its error.</summary>
public sealed class RunsSection : IReportSection
{
    public string? Experiment => null;
    public string Title => "Runs";

    public bool Applies(ReportContext context) => context.Runs.Count > 0;

    public IReadOnlyList<string> Write(ReportContext context, ReportWriter w)
    {
        w.Heading(2, Title);
        var table = new CsvTable("spec", "hash", "point", "status", "stop_reason", "attempts", "started_at", "finished_at", "epochs", "fitted", "outcome", "final_train_accuracy", "final_test_accuracy", "wall_seconds", "error");
        foreach (var r in context.Runs)
            table.Add(r.Record.Spec, r.Record.Hash, string.Join("; ", r.Record.Point.Select(p => $"{p.Key}={p.Value}")), r.Record.Status, r.Summary?.StopReason, r.Record.Attempts,
                r.Record.StartedAt, r.Record.FinishedAt, r.Summary?.Epochs, r.Summary?.Fitted, r.Summary is null ? null : RunOutcome.Describe(r.Config, r.Summary),
                r.Summary?.FinalTrainAccuracy, r.Summary?.FinalTestAccuracy, r.Summary?.WallSeconds, r.Record.Error);
        w.Table(table, "runs", null, sortable: true);
        return [];
    }
}
