using Shatter.Results;

namespace Shatter.Reporting.Analysis;

/// <summary>
/// The report's attempts table: for every run that needed more than one attempt or has not succeeded, each
/// attempt (number, worker, start and end, outcome, error), in the runs' order. Runs done at their first
/// attempt are left out (the runs table counts their attempts). Analysis only: the report writes it.
/// </summary>
public static class AttemptsTable
{
    public static CsvTable Of(IReadOnlyList<RunRecord> runs, IReadOnlyList<RunAttempt> attempts)
    {
        var table = new CsvTable("hash", "point", "attempt", "worker", "started_at", "finished_at", "outcome", "error");
        var byRun = attempts.GroupBy(a => a.Hash).ToDictionary(g => g.Key, g => g.OrderBy(a => a.Attempt).ToList());
        foreach (var run in runs.DistinctBy(r => r.Hash))
        {
            if (!byRun.TryGetValue(run.Hash, out var of)) continue;
            if (of.Count == 1 && of[0].Outcome == AttemptOutcome.Done) continue;
            var point = string.Join("; ", run.Point.Select(p => $"{p.Key}={p.Value}"));
            foreach (var a in of) table.Add(run.Hash, point, a.Attempt, a.Worker, a.StartedAt, a.FinishedAt, a.Outcome, a.Error);
        }
        return table;
    }
}
