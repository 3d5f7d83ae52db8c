using System.ComponentModel;
using Shatter.Theory;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Shatter.Cli.Commands;

/// <summary>Options shared by the theory commands that may join the report (expressivity, kernel).</summary>
public class TheorySettings : CommandSettings
{
    [CommandOption("--seed <N>")]
    public long Seed { get; init; } = 1;

    [CommandOption("--threads <N>")]
    [Description("libtorch threads (default 0: libtorch's choice).")]
    public int Threads { get; init; }

    [CommandOption("--json")]
    [Description("Print one JSON object instead of tables.")]
    public bool Json { get; init; }

    [CommandOption("--report <DIR>")]
    [Description("Save the figures in DIR (theory-*.json) and (re)write DIR/theory.html; a results folder's report then shows them too.")]
    public string? Report { get; init; }

    /// <summary>Says where the theory page went, when one was written.</summary>
    public void SayWhereTheReportIs(IAnsiConsole console)
    {
        if (Report is not null) console.MarkupLine($"wrote {Markup.Escape(Path.GetFullPath(Path.Combine(Report, TheoryReport.PageName)))}");
    }
}
