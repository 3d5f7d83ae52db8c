using System.ComponentModel;
using Shatter.Cli.Infrastructure;
using Shatter.Experiments;
using Shatter.Measures;
using Shatter.Pipelines;
using Shatter.Results;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Shatter.Cli.Commands;

/// <summary>
/// <c>shatter reproduce figure1|table1|figure2|…</c>: the main job's pipeline (<see cref="Reproduction"/>: the sweep of a
/// built-in spec, figure1's measures and capacity jobs, the report — results/shatter.db, results/runs/, and the page in
/// results/report-NAME-SCALE/index.html, which shows NAME first); prints each step and NAME's findings.
/// </summary>
public sealed class ReproduceCommand(IAnsiConsole console) : Command<ReproduceCommand.Settings>
{
    public sealed class Settings : SweepSettings
    {
        [CommandArgument(0, "<experiment>")]
        [Description("figure1, table1, figure2, or beyond the paper: noise (structured label noise), beyond (ViT and recurrent models), regression (house prices), text (fortunes), unsupervised (autoencoders), semisupervised (unlabelled data against wrong labels), rl (maze agents against the number of training levels).")]
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
        var reproduction = new Reproduction
        {
            Experiment = settings.Experiment, Scale = settings.Scale, Out = settings.Out, Db = settings.Db, Dataset = settings.Dataset,
            DataDir = settings.DataDir, Device = settings.Device, Threads = settings.Threads, Retries = settings.Retries, FailFast = settings.FailFast,
            Workers = settings.Workers, Shatter = ShatterExecutable.CopyOfThisProcess(), Log = SweepDriver.Log,
            Yes = settings.Yes, Say = console.Profile.Out.Writer.WriteLine,
        };
        var (outcome, report) = reproduction.Run(sweep => SweepDriver.Run(console, sweep, cancellationToken), new Printer(console.Profile.Out.Writer));
        ReportCommand.Print(console, report, settings.Experiment, [.. reproduction.AlsoPrinted]);
        return outcome.Failed > 0 || outcome.Done < outcome.Total ? 1 : 0;
    }

    /// <summary>Prints the pipeline's steps as the commands of each step would.</summary>
    sealed class Printer(TextWriter w) : IReproductionListener
    {
        public void Swept(string experiment, string scale, SweepOutcome o) =>
            w.WriteLine($"{experiment} ({scale}): {o.Done} of {o.Total} runs done, {o.Failed} failed, {o.Retried} retried.");
        public void Log(string line) => w.WriteLine(line);
        public void Rademacher(RademacherResult result) => RademacherCommand.Print(w, result);
        public void Shattering(ShatteringResult result) => VcCommand.Print(w, result);
    }
}
