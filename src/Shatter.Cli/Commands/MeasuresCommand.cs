using System.ComponentModel;
using System.Globalization;
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
        var rows = Measure(console, runs, store, groups, flatness);
        var csv = settings.Csv ?? (address is null ? null : Path.Combine(SweepDriver.ResultsFolder(address, null), $"measures-{settings.Spec}.csv"));
        if (csv is not null)
        {
            AtomicFile.WriteAllText(csv, SweepMeasures.Csv(rows));
            console.Profile.Out.Writer.WriteLine($"wrote {csv}");
        }
        return 0;
    }

    /// <summary>Measures the runs, printing one line per run (also used by 'shatter reproduce').</summary>
    public static List<SweepMeasures.Row> Measure(IAnsiConsole console, IReadOnlyList<(string? Hash, string Dir)> runs, IResultsStore? store, IReadOnlyList<string> groups, FlatnessSettings flatness)
    {
        var w = console.Profile.Out.Writer;
        if (store is not null)
        {
            // runs a shatter without saved weights trained: skipped with a note, not an error, so the rest is measured
            // (runs whose requested groups are all stored need no weights)
            var missing = runs.Where(r => !Directory.Exists(r.Dir)).ToList();
            if (missing.Count > 0)
                w.WriteLine($"measures: skipping {missing.Count} runs whose folders are not in {Path.GetDirectoryName(missing[0].Dir)}: measure where the sweep's run folders are (runs/ beside a SQLite file; results/runs under the current folder with PostgreSQL).");
            runs = [.. runs.Except(missing)];
            var without = runs.Where(r => !File.Exists(Path.Combine(r.Dir, Shatter.Training.RunWeights.FinalFile))
                && !(RunMeasures.Read(Path.Combine(r.Dir, MeasureFile.FileName)) is { } stored && groups.All(stored.Groups.ContainsKey))).ToList();
            if (without.Count > 0)
                w.WriteLine($"measures: skipping {without.Count} runs without saved weights (trained before runs kept them): sweep them into a fresh results folder (--out) to measure them.");
            runs = [.. runs.Except(without)];
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var rows = SweepMeasures.Compute(runs, store, groups, flatness);
        foreach (var r in rows)
        {
            string F(string name) => r.Measures.Value(name) is { } v ? v.ToString("G4", CultureInfo.InvariantCulture) : "–";
            w.WriteLine($"{r.Hash ?? r.Run}: train acc {F("train_accuracy")}, γ (10th pct margin) {F("margin_p10")}, spectral complexity {F("spectral_complexity")}, path norm {F("path_norm")}, "
                + $"dist from init {F("distance_from_init")}, σ′ {F("pac_bayes_sigma")}, mag σ′ {F("pac_bayes_mag_sigma")}, sharpness {F("sharpness")}");
        }
        w.WriteLine($"measures of {rows.Count} runs in {clock.Elapsed.TotalSeconds:0.0} s (groups {string.Join(", ", groups)}; flatness on {flatness.Examples} examples, {flatness.Draws} draws, {flatness.BisectionSteps} bisection steps, sharpness {flatness.SharpnessSteps} steps; stored groups skipped)");
        return rows;
    }
}
