using System.ComponentModel;
using Shatter.Results;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Shatter.Cli.Commands;

/// <summary>
/// <c>shatter export-db</c>: the runs (one flat row per spec, scale and run), epochs, steps and examples of a
/// results database as Parquet or CSV files, one per table, for pandas, polars or R; from one snapshot of
/// the database, so it is safe while a sweep writes to it.
/// </summary>
public sealed class ExportDbCommand(IAnsiConsole console) : Command<ExportDbCommand.Settings>
{
    public sealed class Settings : DatabaseSettings
    {
        [CommandOption("--format <FORMAT>")]
        [Description("parquet (default) or csv.")]
        public string Format { get; init; } = "parquet";

        [CommandOption("--out <DIR>")]
        [Description("Folder for runs, epochs, steps and examples .parquet or .csv (created if needed; files of the same names are replaced).")]
        public string? Out { get; init; }

        public override ValidationResult Validate() =>
            Out is null ? ValidationResult.Error("export-db needs --out DIR, the folder to write the tables into") : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var format = TableExport.ParseFormat(settings.Format); // before anything is read
        using var reader = ResultsReader.Open(DatabaseAddress.Resolve(settings.Db));
        var written = TableExport.Write(reader.ExportTables(), format, settings.Out!, cancellationToken);
        var w = console.Profile.Out.Writer;
        foreach (var path in written) w.WriteLine(path);
        return 0;
    }
}
