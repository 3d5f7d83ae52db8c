
namespace Shatter.Results;

/// <summary>
/// The run queue of a results database: which runs a spec has (register), who works on which (claim under a
/// lease that heartbeats renew; a lease that is not renewed expires and the run goes back to the queue), and how
/// each attempt ends (complete, fail, requeue). Two backends: <see cref="SqliteStore"/> (SQLite, one machine)
/// and <see cref="PostgresStore"/> (any number of machines).
/// </summary>
public interface IRunQueue
{
    /// <summary>Where the store is, as it may be printed: a file path, or a PostgreSQL URL (never with a password).</summary>
    string Path { get; }

    /// <summary>Makes <paramref name="runs"/> the runs of a spec at a scale (idempotent: stored runs keep their state).</summary>
    void Register(string spec, string scale, IReadOnlyList<PlannedRun> runs);

    /// <summary>Stores a spec's <c>report:</c> hints, or removes them when null.</summary>
    void SaveReportHints(string spec, ReportHints? hints);

    /// <summary>
    /// Takes the first run the request allows, in spec, scale and grid order, that nobody works on: queued, failed
    /// (when the request takes failed runs and it is not in its skip set), or running under a lease older than
    /// <see cref="ClaimRequest.Lease"/>. Null when there is none.
    /// </summary>
    ClaimedRun? Claim(ClaimRequest request);

    /// <summary>Renews the worker's lease on the run; false when this worker no longer holds it.</summary>
    bool Heartbeat(string hash, string worker);

    /// <summary>Stores the run's metrics and marks it done, in one transaction; false (nothing stored) when this worker no longer holds it.</summary>
    bool Complete(string hash, string worker, RunResult result);

    /// <summary>Marks a run this worker holds as failed, with its error.</summary>
    void Fail(string hash, string worker, string error);

    /// <summary>Gives back a run this worker holds (interrupted: Ctrl+C, Slurm's SIGTERM): queued again, its files kept for a resume.</summary>
    void Release(string hash, string worker);

    /// <summary>Puts the failed runs of a spec at a scale back in the queue; returns how many.</summary>
    int Requeue(string spec, string scale);

    /// <summary>Records the start of an attempt at a run this worker holds; returns its number (1, 2, … over the run's life).</summary>
    int BeginAttempt(string hash, string worker);

    /// <summary>Records how an attempt ended (<see cref="AttemptOutcome"/>) and its error, if any.</summary>
    void EndAttempt(string hash, int attempt, string outcome, string? error = null);

    /// <summary>The leases of the runs now running: worker and seconds since its last heartbeat (by the database's clock).</summary>
    IReadOnlyList<RunLease> Leases();
}
