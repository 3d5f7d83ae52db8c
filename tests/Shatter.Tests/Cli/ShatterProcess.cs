using System.Diagnostics;
using System.Text;
using Shatter.Cli;

namespace Shatter.Tests.Cli;

/// <summary>The shatter executable as a separate process (dotnet shatter.dll …), its output collected.</summary>
public sealed class ShatterProcess : IDisposable
{
    readonly Process process;
    readonly StringBuilder output = new();
    readonly Lock gate = new();

    ShatterProcess(Process process) => this.process = process;

    public static ShatterProcess Start(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(typeof(ShatterApp).Assembly.Location);
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        var p = new ShatterProcess(new Process { StartInfo = info });
        p.process.OutputDataReceived += (_, e) => p.Append(e.Data);
        p.process.ErrorDataReceived += (_, e) => p.Append(e.Data);
        p.process.Start();
        p.process.BeginOutputReadLine();
        p.process.BeginErrorReadLine();
        return p;
    }

    void Append(string? line)
    {
        if (line is null) return;
        lock (gate) output.AppendLine(line);
    }

    public string Output
    {
        get { lock (gate) return output.ToString(); }
    }

    public bool HasExited => process.HasExited;

    public int Id => process.Id;

    /// <summary>SIGTERM, as Slurm sends at a job's time limit or on scancel.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>SIGSTOP or SIGCONT: the process freezes (no heartbeat, no step) or goes on, as a node that stalls.</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", [$"-{name}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Waits for the exit; its code, or fails the test with the output when it takes longer than <paramref name="limit"/>.</summary>
    public int Wait(TimeSpan limit)
    {
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"shatter did not finish within {limit}:\n{Output}");
        }
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>SIGKILL: no handler runs, nothing is cleaned up (a node that dies).</summary>
    public void KillHard()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    /// <summary>SIGKILL to this process alone: processes it started are not killed with it (unless they see to that themselves).</summary>
    public void KillParentOnly()
    {
        process.Kill(entireProcessTree: false);
        process.WaitForExit();
    }

    public void Dispose()
    {
        if (!process.HasExited) KillHard();
        process.Dispose();
    }
}
