using System.ComponentModel;
using Shatter.Reporting;
using Shatter.Results;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Shatter.Cli.Commands;

/// <summary><c>shatter report</c>: the HTML page, figures and tables of a results database.</summary>
public sealed class ReportCommand(IAnsiConsole console) : Command<ReportCommand.Settings>
{
    public sealed class Settings : DatabaseSettings
    {
        [CommandOption("--out <DIR>")]
        [Description("Folder for index.html, figures/ and tables/ (default results/report).")]
        public string Out { get; init; } = Path.Combine("results", "report");

        [CommandOption("--scale <SCALE>")]
        [Description("Which scale to report when the database holds several.")]
        public string? Scale { get; init; }

        [CommandOption("--experiment <NAME>")]
        [Description("Show this spec's sections first (and its name in the title), the rest of the database after them.")]
        public string? Experiment { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var address = DatabaseAddress.Resolve(settings.Db);
        using var store = Stores.OpenExisting(address);
        // results saved beside the database (theory, Rademacher, shattering): the SQLite file's folder, ./results with PostgreSQL
        var outcome = ReportBuilder.Build(store, settings.Out, settings.Scale, settings.Experiment, Shatter.Experiments.SweepFolders.Results(address, null));
        Print(console, outcome, settings.Experiment);
        return 0;
    }

    /// <summary>
    /// Prints the findings of <paramref name="experiment"/>'s sections (or, without one, of every section under its
    /// title), then those of the database-wide sections titled in <paramref name="alsoSections"/>, then the report's path.
    /// </summary>
    public static void Print(IAnsiConsole console, ReportOutcome outcome, string? experiment = null, params string[] alsoSections)
    {
        var w = console.Profile.Out.Writer;
        if (experiment is not null)
        {
            foreach (var f in outcome.FindingsOf(experiment)) w.WriteLine(f);
            foreach (var section in outcome.Sections.Where(s => alsoSections.Contains(s.Title) && s.Findings.Count > 0))
            {
                w.WriteLine($"{section.Title}:");
                foreach (var f in section.Findings) w.WriteLine($"  {f}");
            }
        }
        else
            foreach (var section in outcome.Sections.Where(s => s.Findings.Count > 0))
            {
                w.WriteLine($"{section.Title}:");
                foreach (var f in section.Findings) w.WriteLine($"  {f}");
            }
        w.WriteLine($"report: {outcome.HtmlPath} ({outcome.Figures.Count / 2} figures as PNG and SVG, {outcome.Tables.Count} CSV tables)");
    }
}
