using System.ComponentModel;
using System.Globalization;
using Shatter.Adversarial;
using Shatter.Cli.Infrastructure;
using Shatter.Results;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Shatter.Cli.Commands;

/// <summary><c>shatter attack RUN_DIR</c>: accuracy of a finished run's final model under L∞ attacks, against ε.</summary>
public sealed class AttackCommand(IAnsiConsole console) : Command<AttackCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "[run-dir]")]
        [Description("A finished run's folder ('shatter train --out', or results/runs/<hash>); or give --spec.")]
        public string? RunDir { get; init; }

        [CommandOption("--spec <NAME>"), Description("Attack every finished run of this spec in --results (in place of a run folder), storing each in its shatter.db.")]
        public string? Spec { get; init; }

        [CommandOption("--scale <SCALE>"), Description("With --spec: the scale (default: the only one the database holds for the spec).")]
        public string? Scale { get; init; }

        [CommandOption("--results <DIR>"), Description("With --spec: the results folder holding shatter.db and runs/ (default results).")]
        public string Results { get; init; } = "results";

        [CommandOption("--method <M>"), Description("fgsm (one signed-gradient step) or pgd (default: projected gradient descent).")]
        public string Method { get; init; } = "pgd";

        [CommandOption("--eps <LIST>"), Description("Attack sizes in pixel units (1 = the whole [[0, 1]] range), before the run's whitening; numbers or fractions (default 0,1/255,2/255,4/255,8/255).")]
        public string Eps { get; init; } = "0,1/255,2/255,4/255,8/255";

        [CommandOption("--steps <N>"), Description("PGD steps (default 10), each of 2.5·ε/steps.")]
        public int Steps { get; init; } = AttackRun.DefaultSteps;

        [CommandOption("--max-examples <N>"), Description("Attack the first N test and N training examples (default: all).")]
        public int MaxExamples { get; init; }

        [CommandOption("--data-dir <DIR>"), TrainHelp(nameof(Training.TrainConfig.DataDir))]
        public string? DataDir { get; init; }

        [CommandOption("--threads <N>"), Description("libtorch threads (default: libtorch's choice).")]
        public int Threads { get; init; }

        [CommandOption("--db <DB>"), Description(DatabaseSettings.What + " Also store the points in it (default: the shatter.db beside the runs/ folder the run is in, if there is one; with --spec, the shatter.db of --results).")]
        public string? Db { get; init; }

        [CommandOption("--json"), Description("Print the report as one JSON object.")]
        public bool Json { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var method = AttackRun.ParseMethod(settings.Method);
        var eps = AttackRun.ParseEpsilons(settings.Eps);
        if ((settings.RunDir is null) == (settings.Spec is null))
            throw new ShatterException("give either a run folder or --spec NAME (every finished run of a spec), not both and not neither.");
        if (settings.Spec is null && (settings.Scale is not null || settings.Results != "results"))
            throw new ShatterException("--scale and --results choose the runs of --spec; with a run folder, drop them.");
        if (settings.Spec is not null)
        {
            var address = DatabaseAddress.Parse(settings.Db ?? Path.Combine(settings.Results, "shatter.db"));
            var runs = AttackRun.RunsOf(settings.Results, settings.Spec, settings.Scale, address);
            var ci = CultureInfo.InvariantCulture;
            foreach (var (hash, dir) in runs)
            {
                var r = AttackRun.Run(dir, method, eps, settings.Steps, settings.MaxExamples, settings.DataDir, settings.Threads);
                using (var store = Stores.OpenToAdd(address))
                    store.SaveAttack(hash, r);
                string Acc(AttackPoint? p) => p is null ? "–" : string.Create(ci, $"{p.Accuracy:P1}");
                var test = r.Points.Where(p => p.Set == "test").ToList();
                console.MarkupLine(Markup.Escape(string.Create(ci,
                    $"{hash} ({r.Model}, label noise {r.LabelNoise}, inputs {r.Inputs}): test accuracy {Acc(test.FirstOrDefault())} → {Acc(test.LastOrDefault())} at ε = {test.LastOrDefault()?.EpsilonText}, {r.Seconds:F1} s")));
            }
            console.MarkupLine(Markup.Escape($"{runs.Count} runs of {settings.Spec} attacked ({method.ToString().ToUpperInvariant()}); points in the table attacks of {address.Display}; 'shatter report' shows them."));
            return 0;
        }
        var runDir = settings.RunDir!;
        var db = AttackRun.DatabaseFor(runDir, settings.Db);
        var report = AttackRun.Run(runDir, method, eps, settings.Steps, settings.MaxExamples, settings.DataDir, settings.Threads);
        if (db is not null)
        {
            using var store = Stores.OpenToAdd(db.Value.Address);
            store.SaveAttack(db.Value.Hash, report);
        }
        if (settings.Json)
        {
            console.Profile.Out.Writer.WriteLine(Shatter.Json.Serialize(report));
            return 0;
        }
        var inv = CultureInfo.InvariantCulture;
        console.MarkupLine(Markup.Escape(string.Create(inv,
            $"{report.Method.ToString().ToUpperInvariant()} ({report.Steps} steps, step {report.StepSize}) on {report.Model}, {report.Dataset}, label noise {report.LabelNoise} ({report.LabelNoiseMode}), inputs {report.Inputs}")));
        var table = new Table().AddColumns("ε", "test accuracy", "train accuracy");
        table.Columns[1].RightAligned();
        table.Columns[2].RightAligned();
        foreach (var (_, text) in eps)
        {
            string Acc(string set) => report.Points.FirstOrDefault(p => p.Set == set && p.EpsilonText == text) is { } p
                ? string.Create(inv, $"{p.Accuracy:P2}") : "";
            table.AddRow(Markup.Escape(text), Acc("test"), Acc("train"));
        }
        console.Write(table);
        var name = report.Method.ToString().ToLowerInvariant();
        console.MarkupLine(Markup.Escape(string.Create(inv,
            $"{report.Points[0].Examples} test and {report.Points[^1].Examples} training examples, {report.Seconds:F1} s on {report.Threads} threads; written to {Path.Combine(runDir, $"attack-{name}.json")} and .csv{(db is null ? "" : $", and to the table attacks of {db.Value.Address.Display}")}")));
        return 0;
    }
}
