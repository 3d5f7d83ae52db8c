using System.ComponentModel;
using Shatter.Measures;
using Shatter.Results;
using Shatter.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Shatter.Cli.Commands;

/// <summary>
/// <c>shatter measures RUN_DIR... | --db FILE --spec NAME</c>: complexity measures of finished runs (margins,
/// norms, flatness), stored in each run's measures.json, the database and a CSV; what is stored is skipped.
/// </summary>
public sealed class MeasuresCommand(IAnsiConsole console) : Command<MeasuresCommand.Settings>
{
    public sealed class Settings : ComputeSettings
    {
        [CommandArgument(0, "[RUN_DIR]")]
        [Description("Run folders (results/runs/<hash>, or a 'shatter train --out' folder).")]
        public string[] RunDirs { get; init; } = [];

        // not DatabaseSettings: these settings derive from ComputeSettings (--seed, --threads); the help is the shared one
        [CommandOption("--db <DB>")]
        [Description(DatabaseSettings.What + " With --spec: measure its finished runs, store them in the database's measures tables.")]
        public string? Db { get; init; }

        [CommandOption("--spec <NAME>")]
        [Description("With --db: the spec whose runs to measure (e.g. figure1).")]
        public string? Spec { get; init; }

        [CommandOption("--scale <SCALE>")]
        [Description("With --db: only runs of this scale.")]
        public string? Scale { get; init; }

        [CommandOption("--csv <FILE>")]
        [Description("CSV of every run's measures (default with --db: measures-SPEC.csv beside the database).")]
        public string? Csv { get; init; }

        [CommandOption("--groups <LIST>")]
        [Description("norms, operator-norms, pac-bayes, pac-bayes-magnitude, sharpness, or all (default).")]
        public string Groups { get; init; } = "all";

        [CommandOption("--examples <N>")]
        [Description("Training examples for the flatness measures (seeded subset; default 2000, 0 = all).")]
        public int Examples { get; init; } = 2000;

        [CommandOption("--draws <N>")]
        [Description("Weight-noise draws per σ tried for PAC-Bayes σ′ (default 3).")]
        public int Draws { get; init; } = 3;

        public override ValidationResult Validate()
        {
            if (RunDirs.Length == 0 && Db is null) return ValidationResult.Error("measures needs run folders or --db FILE --spec NAME.");
            if (RunDirs.Length > 0 && Db is not null) return ValidationResult.Error("give either run folders or --db with --spec, not both.");
            if (Db is not null && Spec is null) return ValidationResult.Error("--db needs --spec NAME, the spec whose runs to measure (e.g. figure1).");
            if (Examples < 0) return ValidationResult.Error($"--examples must be 0 (all) or positive, not {Examples}.");
            if (Draws < 1) return ValidationResult.Error($"--draws must be positive, not {Draws}.");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        TorchRuntime.SetThreads(settings.Threads);
        var groups = MeasureGroups.Parse(settings.Groups);
        var flatness = new FlatnessSettings { Examples = settings.Examples, Draws = settings.Draws, Seed = settings.Seed };
        // --db: a SQLite file or a PostgreSQL URL; the measures go into its measures tables through the store
        var address = settings.Db is null ? null : DatabaseAddress.Parse(settings.Db);
        using var store = address is null ? null : Stores.OpenToAdd(address);
        IReadOnlyList<(string?, string)> runs = store is null
            ? [.. settings.RunDirs.Select(d => ((string?)null, d))]
            : [.. SweepMeasures.RunsOf(store, SweepMeasures.DefaultRunsDir(address!), settings.Spec!, settings.Scale).Select(r => ((string?)r.Hash, r.Dir))];
        var rows = Pipelines.MeasuresJob.Run(runs, store, groups, flatness, console.Profile.Out.Writer.WriteLine);
        var csv = settings.Csv ?? (address is null ? null : Path.Combine(Shatter.Experiments.SweepFolders.Results(address, null), $"measures-{settings.Spec}.csv"));
        if (csv is not null)
        {
            AtomicFile.WriteAllText(csv, SweepMeasures.Csv(rows));
            console.Profile.Out.Writer.WriteLine($"wrote {csv}");
        }
        return 0;
    }
}
