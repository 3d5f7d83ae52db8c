using System.Runtime.InteropServices;
using Shatter.Experiments;
using Spectre.Console;

namespace Shatter.Cli.Commands;

/// <summary>
/// Runs a <see cref="LocalSweep"/> for <c>shatter sweep</c> and <c>shatter reproduce</c> under the console's display
/// (a live one on a terminal, plain lines otherwise or in a worker process), stopping it on Ctrl+C or SIGTERM: the
/// sweep then hands its runs back to the queue (its workers' too) and the command exits 130.
/// </summary>
public static class SweepDriver
{
    public static SweepOutcome Run(IAnsiConsole console, LocalSweep sweep, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cts.Cancel(); };
        Console.CancelKeyPress += onCancel;
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; cts.Cancel(); });
        try
        {
            return sweep.Run((workers, run) => sweep.IsWorker ? run(new PlainSweepLog(console)) : SweepProgress.Run(console, workers, run), cts.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Where a sweep logs what it cannot show otherwise (a failed heartbeat): stderr, with the time.</summary>
    public static void Log(string line) => Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {line}");
}
