using System.Diagnostics;

namespace Shatter.Results;

/// <summary>
/// Who holds a run: "host:pid:start-ticks". A claim of a process that no longer exists on this host can be
/// taken over at once (a killed sweep is resumed without waiting for its heartbeat to go stale); the start
/// time (to the second) guards against a reused process id.
/// </summary>
public static class WorkerId
{
    public static string Current { get; } = Make(Environment.ProcessId);

    static string Make(int pid)
    {
        using var p = Process.GetProcessById(pid);
        return $"{Environment.MachineName}:{pid}:{p.StartTime.ToUniversalTime().Ticks}";
    }

    /// <summary>True when <paramref name="worker"/> names a process of this host that has ended.</summary>
    public static bool IsDeadHere(string? worker)
    {
        if (worker is null) return true;
        var parts = worker.Split(':');
        if (parts.Length != 3 || parts[0] != Environment.MachineName || !int.TryParse(parts[1], out var pid)) return false;
        try
        {
            // another process reads the start time with a little jitter (boot time + clock ticks): allow a second
            var alive = Make(pid).Split(':');
            return !long.TryParse(parts[2], out var ticks) || Math.Abs(long.Parse(alive[2]) - ticks) > TimeSpan.TicksPerSecond;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return true;  // no such process
        }
    }
}
