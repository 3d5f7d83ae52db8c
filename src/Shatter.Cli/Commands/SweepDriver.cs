using System.Diagnostics;
using System.Reflection;
using Shatter.Experiments;
using Shatter.Results;
using Spectre.Console;

namespace Shatter.Cli.Commands;

/// <summary>
/// Runs a sweep for <c>shatter sweep</c> and <c>shatter reproduce</c>: opens the store, registers the
/// spec's runs, starts the extra worker processes (the same executable with <c>sweep … --worker</c>,
/// their output in &lt;results&gt;/logs/), runs the sweep here under a progress display, and waits for the
/// workers. Ctrl+C stops at the next step boundary; the interrupted run is resumed by the next sweep.
/// </summary>
public static class SweepDriver
{
    public static SweepOutcome Run(IAnsiConsole console, string specArg, SweepSettings settings, string? db, bool worker, CancellationToken cancellationToken,
        string? runsDir = null)
    {
        var address = DatabaseAddress.Resolve(db);
        var spec = BuiltInSpecs.Resolve(specArg);
        IReadOnlyList<SpecSetting>? overrides = settings.Dataset is null ? null : [new SpecSetting("dataset", [settings.Dataset.ToLowerInvariant()], 0)];
        int runs = spec.Expand(settings.Scale, overrides).Count;  // a bad spec or scale fails before anything starts
        int workers = worker ? 1 : settings.EffectiveWorkers(runs, canStartWorkers: Assembly.GetEntryAssembly() == typeof(SweepDriver).Assembly);
        var dbPath = address.Display;
        var resultsDir = ResultsFolder(address, runsDir);
        runsDir = runsDir is null ? null : Path.GetFullPath(runsDir);
        using var store = Stores.Open(address);
        int threads = settings.Threads ?? (workers > 1 ? Math.Max(1, Environment.ProcessorCount / workers) : 0);
        var options = new SweepOptions
        {
            ResultsDir = resultsDir, FailFast = settings.FailFast, Retries = settings.Retries, WaitForOthers = !worker,
            Log = line => Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {line}"), DataDir = settings.DataDir, Device = settings.Device,
            Threads = settings.Threads is null && threads == 0 ? null : threads, RunsDir = runsDir,
        };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cts.Cancel(); };
        Console.CancelKeyPress += onCancel;
        var children = new List<Process>();
        try
        {
            store.Register(spec.Name, settings.Scale, spec.Expand(settings.Scale, overrides));
            if (!worker)
                for (int i = 1; i < workers; i++) children.Add(StartWorker(specArg, settings, dbPath, resultsDir, runsDir, threads, i));
            var sweep = new Sweep(store, new TrainerExecutor(() => new Shatter.Adversarial.MemorizationProbe()), options);
            var outcome = worker
                ? sweep.Run(spec, settings.Scale, new PlainListener(console), cts.Token, overrides)
                : SweepProgress.Run(console, workers, listener => sweep.Run(spec, settings.Scale, listener, cts.Token, overrides));
            foreach (var child in children) child.WaitForExit();
            return outcome;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            foreach (var child in children)
            {
                if (!child.HasExited) child.WaitForExit(TimeSpan.FromSeconds(30));
                child.Dispose();
            }
        }
    }

    /// <summary>Starts one more worker: this executable (through dotnet when it runs as a dll) with <c>sweep … --worker</c>.</summary>
    static Process StartWorker(string specArg, SweepSettings s, string db, string resultsDir, string? runsDir, int threads, int index)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find this executable to start workers");
        var info = new ProcessStartInfo(host) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") info.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        var spec = File.Exists(specArg) ? Path.GetFullPath(specArg) : specArg;
        foreach (var a in new[] { "sweep", spec, "--scale", s.Scale, "--db", db, "--worker", "--threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--retries", s.Retries.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(a);
        void Option(string name, string? value)
        {
            if (value is null) return;
            info.ArgumentList.Add(name);
            info.ArgumentList.Add(value);
        }
        Option("--dataset", s.Dataset);
        Option("--data-dir", s.DataDir);
        Option("--device", s.Device);
        Option("--runs-dir", runsDir);
        if (s.FailFast) info.ArgumentList.Add("--fail-fast");
        var log = Path.Combine(resultsDir, "logs", $"worker-{index}.log");
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

    /// <summary>
    /// The results folder (logs, report inputs saved beside the database): the SQLite file's folder; for PostgreSQL the
    /// folder above the run folders (--runs-dir), else ./results.
    /// </summary>
    public static string ResultsFolder(DatabaseAddress address, string? runsDir) =>
        address.IsPostgres
            ? Path.GetFullPath(runsDir is null ? "results" : Path.Combine(runsDir, ".."))
            : Path.GetDirectoryName(address.File!)!;

    /// <summary>Log lines for a worker process (its output goes to a log file).</summary>
    internal sealed class PlainListener(IAnsiConsole console) : ISweepListener
    {
        void Log(string line) => console.Profile.Out.Writer.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {line}");
        public void RunStarted(RunRecord run, bool resume, int done, int total) => Log($"[{done}/{total}] {(resume ? "resume" : "start")} {run.Hash} ({Sweep.Describe(run)})");
        public void RunFinished(RunRecord run, Training.TrainSummary? summary, string? error, int done, int total) =>
            Log($"[{done}/{total}] {(summary is null ? $"failed: {error}" : "done")} {run.Hash}");
        public void RunRetrying(RunRecord run, int attempt, string error) => Log($"attempt {attempt} of {run.Hash} failed: {error}; trying again");
        public void Waiting(int elsewhere, int done, int total) { }
        public void OnStep(long step, int epoch, double loss) { }
        public void OnEpoch(Training.EpochMetrics metrics, int maxEpochs) { }
    }
}
