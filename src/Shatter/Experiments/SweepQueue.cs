using Shatter.Results;

namespace Shatter.Experiments;

/// <summary>Putting a spec's runs into a (shared) queue without running any: <c>shatter sweep --enqueue</c> and the Slurm launcher.</summary>
public static class SweepQueue
{
    /// <summary>
    /// Registers the runs of <paramref name="spec"/> at <paramref name="scale"/> (idempotent), stores its report hints and
    /// puts its failed runs back; returns the spec's runs as the queue now holds them and how many failed ones went back.
    /// </summary>
    public static (IReadOnlyList<RunRecord> Runs, int Requeued) Enqueue(DatabaseAddress database, ExperimentSpec spec, string scale, IReadOnlyList<PlannedRun> planned)
    {
        using var store = Stores.Open(database);
        store.Register(spec.Name, scale, planned);
        store.SaveReportHints(spec.Name, spec.Report);
        int requeued = store.Requeue(spec.Name, scale);
        return (store.Runs(spec.Name, scale), requeued);
    }
}
