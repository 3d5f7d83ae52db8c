namespace Shatter.Experiments;

/// <summary>
/// Calls <c>beat</c> every <c>interval</c> on a timer thread until stopped or disposed (a sweep marks its
/// run alive with it). A timer callback runs on a pool thread, where an escaping exception ends the whole
/// process with a trace: so whatever one beat throws (a busy or vanished database, a disposed store, …) is
/// counted and logged, and the next beat tries again. A run whose beats keep failing goes stale and another
/// worker takes it over, which is the right outcome for a worker that cannot reach its database. A beat that
/// answers false (the worker no longer holds the run: another took it over) stops the beats and calls
/// <c>lost</c> once, so the worker stops the run at once.
/// </summary>
public sealed class Heartbeat : IDisposable
{
    readonly Func<bool> beat;
    readonly Action<string>? log;
    readonly Action? lost;
    readonly Timer timer;
    readonly TimeSpan interval;
    int failures;

    public Heartbeat(Action beat, TimeSpan interval, Action<string>? log = null)
        : this(() => { beat(); return true; }, interval, log, lost: null) { }

    public Heartbeat(Func<bool> beat, TimeSpan interval, Action<string>? log, Action? lost)
    {
        this.beat = beat;
        this.log = log;
        this.lost = lost;
        this.interval = interval;
        timer = new Timer(_ => Beat(), null, interval, interval);
    }

    /// <summary>Beats that threw so far.</summary>
    public int Failures => Volatile.Read(ref failures);

    /// <summary>No more beats (the run is being stored as done).</summary>
    public void Stop() => timer.Change(Timeout.Infinite, Timeout.Infinite);

    /// <summary>Beats again after a <see cref="Stop"/> (a retried attempt).</summary>
    public void Start()
    {
        if (Volatile.Read(ref gone) == 0) timer.Change(interval, interval);
    }

    /// <summary>A beat answered that the run is no longer this worker's.</summary>
    public bool Lost => Volatile.Read(ref gone) == 1;

    int gone;

    void Beat()
    {
        try
        {
            if (beat() || Interlocked.Exchange(ref gone, 1) == 1) return;
            Stop();
            lost?.Invoke();
        }
        catch (Exception e)
        {
            Interlocked.Increment(ref failures);
            try
            {
                log?.Invoke($"a heartbeat failed ({e.GetType().Name}: {e.Message.TrimEnd('.')}); the next one retries");
            }
            catch
            {
                // the log itself failed: nothing more can be done on a timer thread, and it must not end the process
            }
        }
    }

    public void Dispose() => timer.Dispose();
}
