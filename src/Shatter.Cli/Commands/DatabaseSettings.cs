using System.ComponentModel;
using Spectre.Console.Cli;

namespace Shatter.Cli.Commands;

/// <summary>
/// The results database option, declared once for every command that reads or writes one (sweep, reproduce, worker,
/// status, report, runs, export-db; measures, whose settings derive from <see cref="ComputeSettings"/>, repeats
/// <see cref="Help"/>). Spectre.Console.Cli refuses an option declared twice, so a command cannot redeclare it.
/// </summary>
public class DatabaseSettings : CommandSettings
{
    /// <summary>What --db takes.</summary>
    public const string What = "The results database: a SQLite file or postgresql://user@host:port/database (password from PGPASSWORD or ~/.pgpass, never in the URL).";
    public const string Help = What + " Default: $SHATTER_DB, else results/shatter.db (reproduce: shatter.db in --out).";

    [CommandOption("--db <DB>")]
    [Description(Help)]
    public string? Db { get; init; }
}
