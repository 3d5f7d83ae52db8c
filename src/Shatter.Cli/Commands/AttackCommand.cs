using System.ComponentModel;
using System.Globalization;
using Shatter.Adversarial;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Shatter.Cli.Commands;

/// <summary><c>shatter attack RUN_DIR</c>: accuracy of a finished run's final model under L∞ attacks, against ε.</summary>
public sealed class AttackCommand(IAnsiConsole console) : Command<AttackCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<run-dir>")]
        [Description("A finished run's folder ('shatter train --out', or results/runs/<hash>).")]
        public string RunDir { get; init; } = "";

        [CommandOption("--method <M>"), Description("fgsm (one signed-gradient step) or pgd (default: projected gradient descent).")]
        public string Method { get; init; } = "pgd";

        [CommandOption("--eps <LIST>"), Description("Attack sizes in pixel units (1 = the whole [[0, 1]] range), before the run's whitening; numbers or fractions (default 0,1/255,2/255,4/255,8/255).")]
        public string Eps { get; init; } = "0,1/255,2/255,4/255,8/255";

        [CommandOption("--steps <N>"), Description("PGD steps (default 10), each of 2.5·ε/steps.")]
        public int Steps { get; init; } = AttackRun.DefaultSteps;

        [CommandOption("--max-examples <N>"), Description("Attack the first N test and N training examples (default: all).")]
        public int MaxExamples { get; init; }

        [CommandOption("--data-dir <DIR>"), Description("Folder of the dataset files, if not where the run found them.")]
        public string? DataDir { get; init; }

        [CommandOption("--threads <N>"), Description("libtorch threads (default: libtorch's choice).")]
        public int Threads { get; init; }

        [CommandOption("--json"), Description("Print the report as one JSON object.")]
        public bool Json { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var method = AttackRun.ParseMethod(settings.Method);
        var eps = AttackRun.ParseEpsilons(settings.Eps);
        var report = AttackRun.Run(settings.RunDir, method, eps, settings.Steps, settings.MaxExamples, settings.DataDir, settings.Threads);
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
            $"{report.Points[0].Examples} test and {report.Points[^1].Examples} training examples, {report.Seconds:F1} s on {report.Threads} threads; written to {Path.Combine(settings.RunDir, $"attack-{name}.json")} and .csv")));
        return 0;
    }
}
