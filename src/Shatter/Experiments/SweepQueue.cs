using System.Globalization;
using Shatter.Results;

namespace Shatter.Experiments;

/// <summary>Putting a spec's runs into a (shared) queue without running any: <c>shatter sweep --enqueue</c> and the Slurm launcher.</summary>
public static class SweepQueue
{
    /// <summary>
    /// Registers the runs of <paramref name="spec"/> at <paramref name="scale"/> (idempotent), stores its report hints and
    /// puts its failed runs back; returns the spec's runs as the queue now holds them and how many failed ones went back.
    /// </summary>
    public static (IReadOnlyList<RunRecord> Runs, int Requeued) Enqueue(DatabaseAddress database, ExperimentSpec spec, string scale, IReadOnlyList<PlannedRun> planned,
        Action<string>? say = null)
    {
        using var store = Stores.Open(database);
        Register(store, spec.Name, scale, planned, say);
        store.SaveReportHints(spec.Name, spec.Report);
        int requeued = store.Requeue(spec.Name, scale);
        return (store.Runs(spec.Name, scale), requeued);
    }

    /// <summary>
    /// Registers the runs (idempotent), saying how far it got through <paramref name="say"/> when there are more than
    /// <see cref="ExperimentSpec.LargeGrid"/> (each 10,000 in a transaction of their own).
    /// </summary>
    public static void Register(RelationalStore store, string spec, string scale, IReadOnlyList<PlannedRun> planned, Action<string>? say)
    {
        bool large = planned.Count > ExperimentSpec.LargeGrid && say is not null;
        if (large) say!(string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss} registering {planned.Count:N0} runs of {spec} ({scale}) in {store.Path}"));
        store.Register(spec, scale, planned, large
            ? done => say!(string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss} registered {done:N0} of {planned.Count:N0} runs"))
            : null);
    }
}
