using Shatter.Results;
using Shatter.Training;

namespace Shatter.Experiments;

/// <summary>
/// Runs what is not yet done of a spec at a scale: registers its runs in the store, then claims them one
/// at a time (so several workers share the work and never run the same run twice), executes each into
/// its run folder with a heartbeat, and stores its metrics with its 'done' status in one transaction.
/// A run that dies of an unexpected exception is retried here up to <see cref="SweepOptions.Retries"/>
/// times (resumed from its checkpoint); every attempt, its times and error are stored. A run that still
/// fails (or fails with an error the user must fix) is marked failed and retried by the next sweep, a run
/// interrupted by cancellation likewise; finished runs are never run again.
/// </summary>
public sealed class Sweep(IResultsStore store, IRunExecutor executor, SweepOptions options)
{
    public SweepOutcome Run(ExperimentSpec spec, string scale, ISweepListener? listener, CancellationToken cancellationToken,
        IReadOnlyList<SpecSetting>? overrides = null)
    {
        var planned = spec.Expand(scale, overrides);
        store.Register(spec.Name, scale, planned);
        store.SaveReportHints(spec.Name, spec.Report);
        // runs tried in this pass are not claimed again by it: a failed one waits for the next sweep, and so does one handed
        // back because another process still had its folder
        var tried = new HashSet<string>();
        int ranHere = 0;
        retriedHere = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var claim = store.Claim(new ClaimRequest(spec.Name, scale, options.Worker, tried, options.Stale));
            if (claim is null)
            {
                var runs = store.Runs(spec.Name, scale);
                var elsewhere = runs.Count(r => r.Status == RunStatus.Running && r.Worker != options.Worker);
                if (!options.WaitForOthers || elsewhere == 0) return Outcome(runs, ranHere, retriedHere);
                listener?.Waiting(elsewhere, runs.Count(r => r.Done), runs.Count);
                cancellationToken.WaitHandle.WaitOne(options.PollInterval);
                continue;
            }
            tried.Add(claim.Run.Hash);
            ranHere++;
            Execute(claim, spec, scale, listener, cancellationToken);
        }
    }

    /// <summary>
    /// A worker of a shared queue (<c>shatter worker</c>): claims runs of <paramref name="spec"/> and <paramref name="scale"/> (null: any)
    /// and runs them until none is left to claim or <paramref name="maxRuns"/> were run here. It takes queued runs and
    /// runs whose lease expired (a dead worker's, resumed from its checkpoint), not failed ones (<c>sweep --enqueue</c>
    /// puts those back); while other workers hold live leases it waits, since a lease may still expire. Returns the
    /// counts over the runs it could claim.
    /// </summary>
    public SweepOutcome Serve(string? spec, string? scale, int? maxRuns, ISweepListener? listener, CancellationToken cancellationToken)
    {
        // Nothing is skipped: a run this worker handed back because its former holder still had its folder is taken
        // again, each try waiting up to FolderWait for the folder, so a worker never leaves such a run queued behind it.
        var skip = new HashSet<string>();
        int ranHere = 0;
        retriedHere = 0;
        while (maxRuns is null || ranHere < maxRuns)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var claim = store.Claim(new ClaimRequest(spec, scale, options.Worker, skip, options.Stale, Failed: false));
            if (claim is null)
            {
                var runs = store.Runs(spec, scale);
                var elsewhere = runs.Count(r => r.Status == RunStatus.Running && r.Worker != options.Worker);
                if (!options.WaitForOthers || elsewhere == 0) break;
                listener?.Waiting(elsewhere, runs.Count(r => r.Done), runs.Count);
                cancellationToken.WaitHandle.WaitOne(options.PollInterval);
                continue;
            }
            ranHere++;
            Execute(claim, claim.Run.Spec, claim.Run.Scale, listener, cancellationToken);
        }
        var all = store.Runs(spec, scale).DistinctBy(r => r.Hash).ToList();
        return Outcome(all, ranHere, retriedHere);
    }

    void Execute(ClaimedRun claim, ExperimentSpec spec, string scale, ISweepListener? listener, CancellationToken cancellationToken) =>
        Execute(claim, spec.Name, scale, listener, cancellationToken);

    void Execute(ClaimedRun claim, string specName, string scale, ISweepListener? listener, CancellationToken cancellationToken)
    {
        var run = claim.Run;
        var (done, total) = Counts(specName, scale);
        listener?.RunStarted(run, claim.Resume, done, total);
        var runDir = options.RunDir(run.Hash);
        var config = run.Config with
        {
            DataDir = options.DataDir ?? run.Config.DataDir,
            Device = options.Device ?? run.Config.Device,
            Threads = options.Threads ?? run.Config.Threads,
        };
        // The lease is this worker's while its heartbeats renew it; a heartbeat that finds the run taken over (this
        // worker went silent for longer than its lease) stops the run at once: the new holder resumes it, and this
        // worker writes nothing more, neither files nor rows.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var heartbeat = new Heartbeat(() => store.Heartbeat(run.Hash, options.Worker), options.HeartbeatInterval,
            line => options.Log?.Invoke($"run {run.Hash}: {line}"), lost: stop.Cancel);
        try
        {
            Writable(runDir);
        }
        catch (ShatterException)
        {
            store.Release(run.Hash, options.Worker);   // an environment error, not the run's: it stays queued, untried
            throw;
        }
        if (!FolderFree(runDir, heartbeat))
        {
            // the worker that held the run before still trains in its folder (it stops at its next heartbeat): the run goes
            // back to the queue rather than failing for good
            store.Release(run.Hash, options.Worker);
            options.Log?.Invoke($"run {run.Hash}: its folder {runDir} is still in use by the worker that held it before; handed back to the queue.");
            return;
        }
        // An attempt that dies of an unexpected exception (a native error, an I/O hiccup) is tried again here, up
        // to options.Retries more times, resuming from its last checkpoint; an error the user must fix
        // (ShatterException: a bad option, missing data) would only fail again and is not retried.
        for (int retry = 0; Attempt(run, config, runDir, retry, heartbeat, stop, specName, scale, listener, cancellationToken) == Next.Retry; retry++) { }
    }

    enum Next { Retry, Done }

    /// <summary>One attempt at a claimed run (<paramref name="retry"/> 0 is the first): trains it, then completes, retries, hands back or fails it.</summary>
    Next Attempt(RunRecord run, TrainConfig config, string runDir, int retry, Heartbeat heartbeat, CancellationTokenSource stop,
        string specName, string scale, ISweepListener? listener, CancellationToken cancellationToken)
    {
        int done, total;
        int attempt = store.BeginAttempt(run.Hash, options.Worker);
        if (retry > 0) heartbeat.Start();
        // resume wherever an earlier attempt (of this identity, so the same configuration) left files: the
        // trainer continues from its last epoch checkpoint, or starts afresh if there is none
        bool resume = Directory.Exists(runDir) && Directory.EnumerateFileSystemEntries(runDir).Any();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        TrainSummary summary;
        try
        {
            Directory.CreateDirectory(runDir);
            summary = executor.Execute(config, runDir, resume, listener, stop.Token);
            if (heartbeat.Lost) throw new OperationCanceledException(stop.Token);
            // the run's metrics (and memorization measures, if it took them) go in with its 'done' status, only if this worker still holds it
            var result = RunArtifacts.Read(runDir, clock.Elapsed.TotalSeconds);
            // a database that is down when the run finishes is waited for, as heartbeats wait (the heartbeats go on)
            if (!Persist(run, () => store.Complete(run.Hash, options.Worker, result), stop.Token))
            {
                Lost(run);
                return Next.Done;
            }
            heartbeat.Stop();
            Persist(run, () => { store.EndAttempt(run.Hash, attempt, AttemptOutcome.Done); return true; }, stop.Token);
        }
        catch (OperationCanceledException) when (heartbeat.Lost && !cancellationToken.IsCancellationRequested)
        {
            Lost(run);
            return Next.Done;
        }
        catch (OperationCanceledException)
        {
            store.EndAttempt(run.Hash, attempt, AttemptOutcome.Interrupted, "interrupted");
            if (options.ReleaseInterrupted) store.Release(run.Hash, options.Worker);
            else store.Fail(run.Hash, options.Worker, "interrupted");
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException && (heartbeat.Lost || !store.Heartbeat(run.Hash, options.Worker)))
        {
            Lost(run);   // whatever ended the attempt, the run is another worker's now: nothing more is written
            return Next.Done;
        }
        catch (ShatterException) when (!FolderFree(runDir, heartbeat, wait: false))
        {
            // another process holds the run folder (a former holder still stopping): not the run's fault, so it goes
            // back to the queue rather than failing for good
            store.EndAttempt(run.Hash, attempt, AttemptOutcome.Interrupted, "its folder was in use by another process");
            store.Release(run.Hash, options.Worker);
            options.Log?.Invoke($"run {run.Hash}: its folder {runDir} is in use by another process; handed back to the queue.");
            return Next.Done;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var message = e is ShatterException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            store.EndAttempt(run.Hash, attempt, AttemptOutcome.Failed, message);
            if (retry < options.Retries && Retryable(e))
            {
                if (retry == 0) retriedHere++;
                listener?.RunRetrying(run, attempt, message);
                return Next.Retry;
            }
            store.Fail(run.Hash, options.Worker, message);
            (done, total) = Counts(specName, scale);
            listener?.RunFinished(run, null, message, done, total);
            if (options.FailFast)
                throw new ShatterException($"run {run.Hash} ({Describe(run)}) failed: {message.TrimEnd('.')}; fix it and rerun the sweep (finished runs are kept).", e);
            return Next.Done;
        }
        (done, total) = Counts(specName, scale);
        listener?.RunFinished(run, summary, null, done, total);
        return Next.Done;
    }

    /// <summary>
    /// Runs a store call that must not be lost (completing a run), trying again while the database is unreachable (a
    /// server restarting, a network outage): every <see cref="SweepOptions.StoreRetryInterval"/>, with a message, for up
    /// to <see cref="SweepOptions.StoreRetryFor"/>; then the last error stands.
    /// </summary>
    T Persist<T>(RunRecord run, Func<T> call, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return call();
            }
            catch (Exception e) when (Unreachable(e) && clock.Elapsed < options.StoreRetryFor && !cancellationToken.IsCancellationRequested)
            {
                options.Log?.Invoke($"run {run.Hash}: finished, but the database is unreachable ({e.Message.TrimEnd('.')}); storing it again in {options.StoreRetryInterval.TotalSeconds:0.#} s (for up to {options.StoreRetryFor.TotalMinutes:0.#} min).");
                cancellationToken.WaitHandle.WaitOne(options.StoreRetryInterval);
            }
        }
    }

    /// <summary>A database that could not be reached (as opposed to a statement that is wrong): a transient driver error, or the one sentence for it.</summary>
    static bool Unreachable(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is System.Data.Common.DbException { IsTransient: true } or System.Net.Sockets.SocketException or TimeoutException) return true;
        return false;
    }

    /// <summary>This worker lost the run to another (its lease expired here): it stopped and wrote nothing more; the new holder finishes it.</summary>
    void Lost(RunRecord run) =>
        options.Log?.Invoke($"run {run.Hash}: another worker took it over (this worker's lease expired); stopped here without storing anything, the new holder finishes it.");

    /// <summary>
    /// Makes the run folder and checks that files can be written in it: a read-only or missing --runs-dir is an error of
    /// the environment, one sentence for the whole sweep, not a run failure to retry.
    /// </summary>
    static void Writable(string runDir)
    {
        try
        {
            Directory.CreateDirectory(runDir);
            var probe = Path.Combine(runDir, ".write-probe");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ShatterException($"cannot write run folders in {Path.GetDirectoryName(runDir)} ({e.Message.TrimEnd('.')}); give --runs-dir (or --out) a folder you can write to.", e);
        }
    }

    /// <summary>
    /// Whether the run folder is free: no other process holds its lock (the trainer's, <see cref="RunFolder.Lock"/>). A
    /// worker that lost the run to this one stops at its next heartbeat, so this waits for the lock, while this worker's
    /// own heartbeats keep its claim, up to <see cref="SweepOptions.FolderWait"/>.
    /// </summary>
    bool FolderFree(string runDir, Heartbeat heartbeat, bool wait = true)
    {
        if (!Directory.Exists(runDir)) return true;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                new RunFolder(runDir).Lock().Dispose();
                return true;
            }
            catch (ShatterException) when (wait && clock.Elapsed < options.FolderWait && !heartbeat.Lost)
            {
                Thread.Sleep(TimeSpan.FromMilliseconds(200));
            }
            catch (ShatterException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// Whether trying again could help: not for an error the user must fix (a ShatterException names it and
    /// the fix); yes for anything unexpected.
    /// </summary>
    static bool Retryable(Exception e) => e is not ShatterException;

    (int Done, int Total) Counts(string spec, string scale)
    {
        var runs = store.Runs(spec, scale);
        return (runs.Count(r => r.Done), runs.Count);
    }

    static SweepOutcome Outcome(IReadOnlyList<RunRecord> runs, int ranHere, int retried) =>
        new(runs.Count, runs.Count(r => r.Done), runs.Count(r => r.Status == RunStatus.Failed), ranHere, retried);

    int retriedHere;

    /// <summary>"mlp-1x512, randomization=random labels, seed=1": the run's grid point.</summary>
    public static string Describe(RunRecord run) =>
        string.Join(", ", run.Point.Select(p => p.Key == "model" ? p.Value : $"{p.Key}={p.Value}"));
}
