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

        [CommandOption("--db <URL>")]
        [Description("Keep the runs in this database instead of OUT/shatter.db: postgresql://user@host:port/database (password from PGPASSWORD or ~/.pgpass) or a SQLite file; run folders, logs and the report still go under --out.")]
        public string? Db { get; init; }

        public override ValidationResult Validate() =>
            BuiltInSpecs.Names.Contains(Experiment) ? base.Validate()
            : ValidationResult.Error($"unknown experiment '{Experiment}'; use {string.Join(", ", BuiltInSpecs.Names)}.");
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var address = DatabaseAddress.Parse(settings.Db ?? Path.Combine(settings.Out, "shatter.db"));
        // run folders under --out in either backend (beside the SQLite file they are there anyway)
        var runsDir = Path.GetFullPath(Path.Combine(settings.Out, "runs"));
        var outcome = SweepDriver.Run(console, settings.Experiment, settings, address.Display, worker: false, cancellationToken, address.IsPostgres ? runsDir : null);
        console.Profile.Out.Writer.WriteLine($"{settings.Experiment} ({settings.Scale}): {outcome.Done} of {outcome.Total} runs done, {outcome.Failed} failed, {outcome.Retried} retried.");
        if (settings.Experiment == "figure1" && outcome.Done > 0)
        {
            // the complexity measures of every finished run (issue 9), stored in the database; what is stored is skipped
            using var writable = Stores.OpenToAdd(address);
            var runs = Shatter.Measures.SweepMeasures.RunsOf(writable, address.IsPostgres ? runsDir : Shatter.Measures.SweepMeasures.DefaultRunsDir(address), settings.Experiment, settings.Scale)
                .Select(r => ((string?)r.Hash, r.Dir)).ToList();
            MeasuresCommand.Measure(console, runs, writable, Shatter.Measures.MeasureGroups.All, new Shatter.Measures.FlatnessSettings());
            Capacity(console, writable, settings.Scale == "dry-run");
        }
        using var store = Stores.OpenExisting(address);
        var report = ReportBuilder.Build(store, Path.Combine(settings.Out, $"report-{settings.Experiment}-{settings.Scale}"), settings.Scale, settings.Experiment, settings.Out);
        // figure1 measured its runs above: its complexity-measure findings are part of what it prints; noise's runs take
        // Arpit et al.'s memorization measures, whose findings are in the adversarial section
        ReportCommand.Print(console, report, settings.Experiment, settings.Experiment switch
        {
            "figure1" => [MeasuresSection.SectionTitle],
            "noise" => [Shatter.Reporting.Sections.AdversarialSection.SectionTitle],
            _ => [],
        });
        return outcome.Failed > 0 || outcome.Done < outcome.Total ? 1 : 0;
    }

    /// <summary>
    /// The report's Rademacher and shattering results, computed once per results database (a rerun finds them stored):
    /// MLP 1x512 on 1,000 Fashion-MNIST images, 3 random ±1 labelings, R̂ after 5, 20 and 100 epochs; MLP 1x4 on all
    /// 1,024 labellings of 10 points in 2-D. Dry-run: 50 images, 1 labeling, 5 epochs; 4 points.
    /// </summary>
    static void Capacity(IAnsiConsole console, IResultsStore store, bool dryRun)
    {
        var w = console.Profile.Out.Writer;
        int n = dryRun ? 50 : 1000, draws = dryRun ? 1 : 3, points = dryRun ? 4 : 10;
        int[] budgets = dryRun ? [5] : [5, 20, 100];
        if (!store.Capacity().Rademacher.Any(r => r.Model == "mlp-1x512" && r.TrainSize == n && r.Draws == draws && r.Seed == 1))
        {
            var r = Shatter.Measures.RademacherExperiment.Run("mlp-1x512", "fashion-mnist", null, n, draws, budgets);
            store.SaveCapacity(r);
            RademacherCommand.Print(w, r);
        }
        if (!store.Capacity().Shattering.Any(r => r.Model == "mlp-1x4" && r.N == points && r.D == 2 && r.Seed == 1))
        {
            int before = TorchSharp.torch.get_num_threads();
            Shatter.Runtime.TorchRuntime.SetThreads(1); // tiny tensors: one thread is fastest (docs/measures.md)
            var v = Shatter.Measures.ShatteringExperiment.Run("mlp-1x4", points, 2);
            Shatter.Runtime.TorchRuntime.SetThreads(before);
            store.SaveCapacity(v);
            VcCommand.Print(w, v);
        }
    }
}
