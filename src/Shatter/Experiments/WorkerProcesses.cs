using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Shatter.Experiments;

/// <summary>
/// The extra worker processes of a sweep on one machine: copies of shatter started with <c>sweep … --worker</c>, their
/// output in &lt;results&gt;/logs/worker-N.log. They die with their parent: each child asks the kernel for SIGTERM when
/// its parent dies (<see cref="DieWithParent"/>, PR_SET_PDEATHSIG), so a parent killed with SIGKILL leaves no worker
/// behind, and a parent that is stopped (SIGTERM, Ctrl+C) passes the signal on (<see cref="Terminate"/>) and waits for
/// the children to hand their runs back.
/// </summary>
public sealed partial class WorkerProcesses : IDisposable
{
    /// <summary>The environment variable that tells a child its parent's process id.</summary>
    public const string ParentVariable = "SHATTER_PARENT_PID";

    readonly List<Process> children = [];

    WorkerProcesses()
    {
    }

    /// <summary>Process ids of the children started.</summary>
    public IReadOnlyList<int> Ids => [.. children.Select(c => c.Id)];

    /// <summary>
    /// Starts <paramref name="count"/> children: <paramref name="shatter"/> (the words that start this program) followed by
    /// <paramref name="arguments"/>; child i (from 1) writes to <paramref name="logFolder"/>/worker-i.log.
    /// </summary>
    public static WorkerProcesses Start(IReadOnlyList<string> shatter, IReadOnlyList<string> arguments, int count, string logFolder)
    {
        var workers = new WorkerProcesses();
        try
        {
            for (int i = 1; i <= count; i++) workers.children.Add(StartOne(shatter, arguments, Path.Combine(logFolder, $"worker-{i}.log")));
        }
        catch
        {
            workers.Terminate();
            workers.Dispose();
            throw;
        }
        return workers;
    }

    static Process StartOne(IReadOnlyList<string> shatter, IReadOnlyList<string> arguments, string log)
    {
        var info = new ProcessStartInfo(shatter[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var word in shatter.Skip(1).Concat(arguments)) info.ArgumentList.Add(word);
        info.Environment[ParentVariable] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        var writer = new StreamWriter(log, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var sync = new Lock();
        void Write(string? line)
        {
            if (line is null) return;
            lock (sync) writer.WriteLine(line);
        }
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.Exited += (_, _) => { process.WaitForExit(); lock (sync) writer.Dispose(); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Asks every child still running to stop (SIGTERM): each hands its run back to the queue and exits.</summary>
    public void Terminate()
    {
        foreach (var child in children)
            if (!child.HasExited && OperatingSystem.IsLinux()) _ = Kill(child.Id, SigTerm);
            else if (!child.HasExited) child.Kill();
    }

    /// <summary>Waits for every child to exit, at most <paramref name="limit"/> each (null: as long as they run); whether all did.</summary>
    public bool WaitAll(TimeSpan? limit = null)
    {
        bool all = true;
        foreach (var child in children)
            if (limit is { } l) all &= child.WaitForExit(l);
            else child.WaitForExit();
        return all;
    }

    /// <summary>Kills what still runs (SIGKILL), then releases the handles.</summary>
    public void Dispose()
    {
        foreach (var child in children)
        {
            if (!child.HasExited) child.Kill();
            child.Dispose();
        }
        children.Clear();
    }

    /// <summary>
    /// In a child started by <see cref="Start"/> (<see cref="ParentVariable"/> set): asks the kernel to send this process
    /// SIGTERM when its parent dies, however it dies (Linux; elsewhere nothing). Returns false when the parent is already
    /// gone (it died before the request): the caller should exit at once.
    /// </summary>
    public static bool DieWithParent()
    {
        if (!OperatingSystem.IsLinux()) return true;
        if (!int.TryParse(Environment.GetEnvironmentVariable(ParentVariable), out var parent)) return true;
        _ = Prctl(PrSetPdeathsig, SigTerm, 0, 0, 0);
        // the parent may have died between this process's start and the request: then nothing will signal it
        return GetParentId() == parent;
    }

    const int SigTerm = 15;
    const int PrSetPdeathsig = 1;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int GetParentId();
}
