using System.ComponentModel;
using System.Globalization;
using Shatter.Results;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Shatter.Cli.Commands;

/// <summary><c>shatter status</c>: how a (shared) sweep stands: runs per state per spec, live workers, ETA.</summary>
public sealed class StatusCommand(IAnsiConsole console) : Command<StatusCommand.Settings>
{
    public sealed class Settings : DatabaseSettings
    {
        [CommandOption("--spec <NAME>")]
        [Description("Only this spec.")]
        public string? Spec { get; init; }

        [CommandOption("--lease <SECONDS>")]
        [Description("The workers' lease (default 120): a run whose heartbeat is older counts as pending, its worker as gone.")]
        public double Lease { get; init; } = 120;
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var address = DatabaseAddress.Resolve(settings.Db);
        using var store = Stores.OpenExisting(address);
        var runs = store.Runs(settings.Spec);
        if (runs.Count == 0)
            throw new ShatterException($"the database {address.Display} holds no runs{(settings.Spec is null ? "" : $" of spec '{settings.Spec}'")}; enqueue them with 'shatter sweep SPEC --db {address.Display} --enqueue'.");
        var status = QueueStatus.From(runs, store.Leases(), TimeSpan.FromSeconds(settings.Lease));
        var w = console.Profile.Out.Writer;
        w.WriteLine($"{"spec",-14} {"scale",-8} {"done",6} {"running",8} {"pending",8} {"failed",7} {"mean run",9} {"ETA",10}");
        foreach (var l in status.Lines)
            w.WriteLine($"{l.Spec,-14} {l.Scale,-8} {$"{l.Done}/{l.Total}",6} {l.Running,8} {l.Pending,8} {l.Failed,7} {Duration(l.MeanRunSeconds is { } m ? TimeSpan.FromSeconds(m) : null),9} {Duration(l.Eta),10}");
        w.WriteLine($"workers alive: {status.WorkersAlive.Count}{(status.WorkersAlive.Count > 0 ? " (" + string.Join(", ", status.WorkersAlive) + ")" : "")}" +
            (status.StaleLeases > 0 ? $"; {status.StaleLeases} run(s) under an expired lease wait for a worker to take them over" : ""));
        return 0;
    }

    static string Duration(TimeSpan? t) => t switch
    {
        null => "-",
        { TotalHours: >= 1 } h => $"{(int)h.TotalHours}h{h.Minutes:00}m",
        { TotalMinutes: >= 1 } m => $"{(int)m.TotalMinutes}m{m.Seconds:00}s",
        var s => $"{s.Value.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)}s",
    };
}
