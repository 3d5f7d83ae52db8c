using System.ComponentModel;
using Shatter.Theory;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Shatter.Cli.Commands;

/// <summary>
/// Options shared by the commands whose results may join the report: the theory commands (expressivity,
/// kernel: theory-*.json and DIR/theory.html) and the capacity commands (rademacher, vc: stored in DIR/shatter.db,
/// shown in the report's complexity section); plus --seed and --threads (<see cref="ComputeSettings"/>).
/// </summary>
public class TheorySettings : ComputeSettings
{
    [CommandOption("--json")]
    [Description("Print one JSON object instead of tables.")]
    public bool Json { get; init; }

    [CommandOption("--report <DIR>")]
    [Description("Save the result in DIR (a results folder) so its report shows it: expressivity and kernel save theory-*.json and (re)write DIR/theory.html, rademacher and vc store theirs in DIR/shatter.db (or in the postgresql:// database given instead of DIR) for the complexity section.")]
    public string? Report { get; init; }

    /// <summary>Where rademacher and vc store a result for the report: a postgresql:// URL as it is, else DIR/shatter.db.</summary>
    public static Shatter.Results.DatabaseAddress CapacityDatabase(string report) =>
        Shatter.Results.DatabaseAddress.Parse(report.Contains("://", StringComparison.Ordinal) ? report : Path.Combine(report, "shatter.db"));

    /// <summary>Says where the theory page went, when one was written.</summary>
    public void SayWhereTheReportIs(IAnsiConsole console)
    {
        if (Report is not null) console.MarkupLine($"wrote {Markup.Escape(Path.GetFullPath(Path.Combine(Report, Shatter.Reporting.TheoryPage.PageName)))}");
    }
}
