using System.ComponentModel;
using Shatter.Experiments;
using Shatter.Reporting;
using Shatter.Results;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Shatter.Cli.Commands;

/// <summary>
/// <c>shatter reproduce figure1|table1|figure2</c>: the sweep of a built-in spec, then its report —
/// results/shatter.db, results/runs/, and the page in results/report-NAME-SCALE/index.html, which shows NAME
/// first (the rest of the database after it); prints NAME's findings.
/// </summary>
public sealed class ReproduceCommand(IAnsiConsole console) : Command<ReproduceCommand.Settings>
{
    public sealed class Settings : SweepSettings
    {
        [CommandArgument(0, "<experiment>")]
        [Description("figure1, table1, figure2, or beyond the paper: noise (structured label noise), beyond (ViT and recurrent models), regression (house prices).")]
        public string Experiment { get; init; } = "";

        [CommandOption("--out <DIR>")]
        [Description("Results folder: the database, run folders and the report (default results).")]
        public string Out { get; init; } = "results";

        public override ValidationResult Validate() =>
            BuiltInSpecs.Names.Contains(Experiment) ? base.Validate()
            : ValidationResult.Error($"unknown experiment '{Experiment}'; use {string.Join(", ", BuiltInSpecs.Names)}.");
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var db = Path.Combine(settings.Out, "shatter.db");
        var outcome = SweepDriver.Run(console, settings.Experiment, settings, db, worker: false, cancellationToken);
        console.Profile.Out.Writer.WriteLine($"{settings.Experiment} ({settings.Scale}): {outcome.Done} of {outcome.Total} runs done, {outcome.Failed} failed, {outcome.Retried} retried.");
        using var store = ResultsStore.OpenExisting(db);
        var report = ReportBuilder.Build(store, Path.Combine(settings.Out, $"report-{settings.Experiment}-{settings.Scale}"), settings.Scale, settings.Experiment);
        ReportCommand.Print(console, report, settings.Experiment);
        return outcome.Failed > 0 || outcome.Done < outcome.Total ? 1 : 0;
    }
}
