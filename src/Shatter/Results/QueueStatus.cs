using System.Globalization;

namespace Shatter.Results;

/// <summary>
/// How a shared sweep stands (<c>shatter status</c>): per spec and scale, runs done, running, pending (queued, or
/// running under an expired lease: a dead worker's run, waiting for another worker) and failed; the workers whose
/// lease is alive; and an ETA: the mean wall time of the runs done so far, times the runs left, divided among the
/// live workers (none alive: no ETA).
/// </summary>
public sealed record QueueStatus(IReadOnlyList<QueueStatus.Line> Lines, IReadOnlyList<string> WorkersAlive, int StaleLeases)
{
    public sealed record Line(string Spec, string Scale, int Total, int Done, int Running, int Pending, int Failed, double? MeanRunSeconds, TimeSpan? Eta);

    /// <summary>Pure: from the runs (one row per spec membership) and the leases at one moment.</summary>
    public static QueueStatus From(IReadOnlyList<RunRecord> runs, IReadOnlyList<RunLease> leases, TimeSpan lease)
    {
        var live = leases.Where(l => l.Alive(lease)).ToDictionary(l => l.Hash);
        var alive = live.Values.Select(l => l.Worker).Distinct().Order(StringComparer.Ordinal).ToList();
        var lines = runs.GroupBy(r => (r.Spec, r.Scale)).Select(g =>
        {
            int running = g.Count(r => r.Status == RunStatus.Running && live.ContainsKey(r.Hash));
            int pending = g.Count(r => r.Status == RunStatus.Queued || r.Status == RunStatus.Running && !live.ContainsKey(r.Hash));
            var durations = g.Where(r => r.Done).Select(r => Seconds(r.StartedAt, r.FinishedAt)).OfType<double>().ToList();
            double? mean = durations.Count > 0 ? durations.Average() : null;
            TimeSpan? eta = mean is { } m && alive.Count > 0 ? TimeSpan.FromSeconds(m * (running + pending) / alive.Count) : null;
            if (running + pending == 0) eta = TimeSpan.Zero;
            return new Line(g.Key.Spec, g.Key.Scale, g.Count(), g.Count(r => r.Done), running, pending, g.Count(r => r.Status == RunStatus.Failed), mean, eta);
        }).ToList();
        return new QueueStatus(lines, alive, leases.Count - live.Count);
    }

    static double? Seconds(string? start, string? end)
    {
        if (start is null || end is null) return null;
        const DateTimeStyles utc = DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal;
        return DateTime.TryParse(start, CultureInfo.InvariantCulture, utc, out var s) && DateTime.TryParse(end, CultureInfo.InvariantCulture, utc, out var e)
            ? (e - s).TotalSeconds : null;
    }
}
