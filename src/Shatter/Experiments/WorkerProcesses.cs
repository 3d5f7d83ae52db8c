using System.Diagnostics;

namespace Shatter.Experiments;

/// <summary>
/// The extra worker processes of a sweep on one machine: copies of shatter started with <c>sweep … --worker</c>, their
/// output in &lt;results&gt;/logs/worker-N.log.
/// </summary>
public sealed class WorkerProcesses : IDisposable
{
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
            workers.Dispose();
            throw;
        }
        return workers;
    }

    static Process StartOne(IReadOnlyList<string> shatter, IReadOnlyList<string> arguments, string log)
    {
        var info = new ProcessStartInfo(shatter[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var word in shatter.Skip(1).Concat(arguments)) info.ArgumentList.Add(word);
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

    /// <summary>Waits for every child to exit, at most <paramref name="limit"/> each (null: as long as they run); whether all did.</summary>
    public bool WaitAll(TimeSpan? limit = null)
    {
        bool all = true;
        foreach (var child in children)
            if (limit is { } l) all &= child.WaitForExit(l);
            else child.WaitForExit();
        return all;
    }

    /// <summary>Releases the handles (the processes go on).</summary>
    public void Dispose()
    {
        foreach (var child in children) child.Dispose();
        children.Clear();
    }
}
