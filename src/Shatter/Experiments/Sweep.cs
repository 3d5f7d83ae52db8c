using Shatter.Results;
using Shatter.Training;

namespace Shatter.Experiments;

/// <summary>
/// Runs what is not yet done of a spec at a scale: registers its runs in the store, then claims them one
/// at a time (so several workers share the work and never run the same run twice), executes each into
/// its run folder with a heartbeat, and stores its metrics with its 'done' status in one transaction.
/// A failed run is marked failed and retried by the next sweep (resumed from its checkpoint), a run
/// interrupted by cancellation likewise; finished runs are never run again.
/// </summary>
public sealed class Sweep(ResultsStore store, IRunExecutor executor, SweepOptions options)
{
    public SweepOutcome Run(ExperimentSpec spec, string scale, ISweepListener? listener, CancellationToken cancellationToken,
        IReadOnlyList<SpecSetting>? overrides = null)
    {
        var planned = spec.Expand(scale, overrides);
        store.Register(spec.Name, scale, planned);
        store.SaveReportHints(spec.Name, spec.Report);
        var tried = new HashSet<string>();
        int ranHere = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var claim = store.Claim(spec.Name, scale, options.Worker, tried, options.Stale);
            if (claim is null)
            {
                var runs = store.Runs(spec.Name, scale);
                var elsewhere = runs.Count(r => r.Status == RunStatus.Running && r.Worker != options.Worker);
                if (!options.WaitForOthers || elsewhere == 0) return Outcome(runs, ranHere);
                listener?.Waiting(elsewhere, runs.Count(r => r.Done), runs.Count);
                cancellationToken.WaitHandle.WaitOne(options.PollInterval);
                continue;
            }
            tried.Add(claim.Run.Hash);
            ranHere++;
            Execute(claim, spec, scale, listener, cancellationToken);
        }
    }

    void Execute(ClaimedRun claim, ExperimentSpec spec, string scale, ISweepListener? listener, CancellationToken cancellationToken)
    {
        var run = claim.Run;
        var (done, total) = Counts(spec.Name, scale);
        listener?.RunStarted(run, claim.Resume, done, total);
        var runDir = options.RunDir(run.Hash);
        var config = run.Config with
        {
            DataDir = options.DataDir ?? run.Config.DataDir,
            Device = options.Device ?? run.Config.Device,
            Threads = options.Threads ?? run.Config.Threads,
        };
        // resume wherever an earlier attempt (of this identity, so the same configuration) left files: the
        // trainer continues from its last epoch checkpoint, or starts afresh if there is none
        bool resume = Directory.Exists(runDir) && Directory.EnumerateFileSystemEntries(runDir).Any();
        using var heartbeat = new Timer(_ => Beat(run.Hash), null, options.HeartbeatInterval, options.HeartbeatInterval);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        TrainSummary summary;
        try
        {
            Directory.CreateDirectory(runDir);
            summary = executor.Execute(config, runDir, resume, listener, cancellationToken);
            var result = RunArtifacts.Read(runDir, clock.Elapsed.TotalSeconds);
            heartbeat.Change(Timeout.Infinite, Timeout.Infinite);
            if (!store.Complete(run.Hash, options.Worker, result))
                throw new InvalidOperationException($"run {run.Hash} was taken over by another worker while this one ran it (its heartbeat went stale)");
        }
        catch (OperationCanceledException)
        {
            store.Fail(run.Hash, options.Worker, "interrupted");
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var message = e is ShatterException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            store.Fail(run.Hash, options.Worker, message);
            (done, total) = Counts(spec.Name, scale);
            listener?.RunFinished(run, null, message, done, total);
            if (options.FailFast)
                throw new ShatterException($"run {run.Hash} ({Describe(run)}) failed: {message.TrimEnd('.')}; fix it and rerun the sweep (finished runs are kept).", e);
            return;
        }
        (done, total) = Counts(spec.Name, scale);
        listener?.RunFinished(run, summary, null, done, total);
    }

    void Beat(string hash)
    {
        try
        {
            store.Heartbeat(hash, options.Worker);
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            // a busy database delays one heartbeat; the next one retries
        }
    }

    (int Done, int Total) Counts(string spec, string scale)
    {
        var runs = store.Runs(spec, scale);
        return (runs.Count(r => r.Done), runs.Count);
    }

    static SweepOutcome Outcome(IReadOnlyList<RunRecord> runs, int ranHere) =>
        new(runs.Count, runs.Count(r => r.Done), runs.Count(r => r.Status == RunStatus.Failed), ranHere);

    /// <summary>"mlp-1x512, randomization=random labels, seed=1": the run's grid point.</summary>
    public static string Describe(RunRecord run) =>
        string.Join(", ", run.Point.Select(p => p.Key == "model" ? p.Value : $"{p.Key}={p.Value}"));
}
