using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Shatter.Cli.Commands;

/// <summary>
/// <c>shatter sweep SPEC</c>: runs what is not yet done of a spec at a scale into a results database.
/// Idempotent: finished runs are skipped, interrupted and failed ones resumed.
/// </summary>
public sealed class SweepCommand(IAnsiConsole console) : Command<SweepCommand.Settings>
{
    public sealed class Settings : SweepSettings
    {
        [CommandArgument(0, "<spec>")]
        [Description("A YAML spec file, or a built-in spec: figure1, table1, figure2.")]
        public string Spec { get; init; } = "";

        [CommandOption("--db <FILE>")]
        [Description("The results database (default results/shatter.db); run folders go beside it, in runs/<hash>/.")]
        public string Db { get; init; } = Path.Combine("results", "shatter.db");

        [CommandOption("--worker", IsHidden = true)]
        [Description("Run as an extra worker of another sweep: no display, no waiting for other workers.")]
        public bool Worker { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var outcome = SweepDriver.Run(console, settings.Spec, settings, settings.Db, settings.Worker, cancellationToken);
        console.Profile.Out.Writer.WriteLine(
            $"{settings.Spec} ({settings.Scale}): {outcome.Done} of {outcome.Total} runs done, {outcome.Failed} failed, {outcome.Retried} retried, {outcome.RanHere} run by this process; results in {settings.Db}");
        return outcome.Failed > 0 || outcome.Done < outcome.Total && !settings.Worker ? 1 : 0;
    }
}
