namespace Shatter.Experiments;

/// <summary>
/// How a sweep executes. <see cref="DataDir"/>, <see cref="Device"/> and <see cref="Threads"/> override
/// the spec's execution-only fields (they do not change a run's identity). A worker that does not
/// <see cref="WaitForOthers"/> leaves when nothing is left to claim; the main process waits for the runs
/// other workers hold, taking over any whose worker dies or goes silent for <see cref="Stale"/>.
/// </summary>
public sealed record SweepOptions
{
    /// <summary>The results folder: run folders go to runs/&lt;hash&gt;/ under it.</summary>
    public required string ResultsDir { get; init; }
    public string Worker { get; init; } = Results.WorkerId.Current;
    public bool FailFast { get; init; }
    /// <summary>How many times a run that died of an unexpected exception is tried again within the sweep (0: never).</summary>
    public int Retries { get; init; } = 2;
    /// <summary>Where the sweep reports what it cannot show otherwise (a failed heartbeat); null: nowhere.</summary>
    public Action<string>? Log { get; init; }
    public bool WaitForOthers { get; init; } = true;
    public TimeSpan Stale { get; init; } = TimeSpan.FromMinutes(2);
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>
    /// How long a worker that took a run over waits for the run folder's lock, which the run's former holder keeps until
    /// its next heartbeat tells it that it lost the run (heartbeats come at most every 10 s); then it hands the run back.
    /// </summary>
    public TimeSpan FolderWait { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>How often and for how long a finished run's storing is tried again while the database is unreachable.</summary>
    public TimeSpan StoreRetryInterval { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan StoreRetryFor { get; init; } = TimeSpan.FromMinutes(30);
    /// <summary>
    /// Whether an interrupted run (cancellation) goes back to the queue for any worker (what shatter worker and
    /// shatter sweep do: <see cref="LocalSweep"/>) rather than being marked failed for the next sweep.
    /// </summary>
    public bool ReleaseInterrupted { get; init; }
    public string? DataDir { get; init; }
    public string? Device { get; init; }
    public int? Threads { get; init; }

    /// <summary>Where run folders go (a folder every worker of a shared sweep sees); null: runs/ under <see cref="ResultsDir"/>.</summary>
    public string? RunsDir { get; init; }

    public string RunDir(string hash) => Path.Combine(RunsDir ?? Path.Combine(ResultsDir, "runs"), hash);
}
