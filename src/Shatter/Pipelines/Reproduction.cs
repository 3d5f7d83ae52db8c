using Shatter.Experiments;
using Shatter.Measures;
using Shatter.Reporting;
using Shatter.Results;

namespace Shatter.Pipelines;

/// <summary>
/// <c>shatter reproduce NAME</c>, the main job's pipeline: the sweep of a built-in spec (<see cref="LocalSweep"/>), then
/// for figure1 the complexity measures of its finished runs (stored in the database; issue 9) and the Rademacher and
/// shattering jobs (<see cref="CapacityJob"/>), then the report in OUT/report-NAME-SCALE/, NAME's sections first. The
/// database is OUT/shatter.db unless <see cref="Db"/> names another; run folders go under OUT/runs in either backend.
/// </summary>
public sealed class Reproduction
{
    public required string Experiment { get; init; }
    public required string Scale { get; init; }
    /// <summary>The results folder: database, run folders, logs and the report.</summary>
    public string Out { get; init; } = "results";
    /// <summary>Another database (a PostgreSQL URL or a SQLite file) in place of OUT/shatter.db.</summary>
    public string? Db { get; init; }
    public string? Dataset { get; init; }
    public string? DataDir { get; init; }
    public string? Device { get; init; }
    public int? Threads { get; init; }
    public int Retries { get; init; } = 2;
    public bool FailFast { get; init; }
    public int? Workers { get; init; }
    /// <summary>The words that start shatter, for worker processes (see <see cref="LocalSweep.Shatter"/>).</summary>
    public IReadOnlyList<string>? Shatter { get; init; }
    public Action<string>? Log { get; init; }
    /// <summary>Register a grid of more than <see cref="ExperimentSpec.LargeGrid"/> runs (see <see cref="LocalSweep.Yes"/>).</summary>
    public bool Yes { get; init; }
    /// <summary>Where the registering of a large grid says how far it got (see <see cref="LocalSweep.Say"/>).</summary>
    public Action<string>? Say { get; init; }

    public DatabaseAddress Database => DatabaseAddress.Parse(Db ?? Path.Combine(Out, "shatter.db"));
    string RunsDir => Path.GetFullPath(Path.Combine(Out, "runs"));
    public string ReportDir => Path.Combine(Out, $"report-{Experiment}-{Scale}");

    /// <summary>The sweep step (run folders under OUT in either backend; beside the SQLite file they are there anyway).</summary>
    public LocalSweep Sweep() => new()
    {
        Spec = Experiment, Scale = Scale, Database = Database, RunsDir = Database.IsPostgres ? RunsDir : null, Dataset = Dataset,
        DataDir = DataDir, Device = Device, Threads = Threads, Retries = Retries, FailFast = FailFast, Workers = Workers, Shatter = Shatter, Log = Log,
        Yes = Yes, Say = Say, Callbacks = TrainingProbes.Makers,
    };

    /// <summary>
    /// Runs every step; <paramref name="sweep"/> runs the sweep step under the front end's display and signal handling.
    /// Returns the sweep's outcome and the report.
    /// </summary>
    public (SweepOutcome Sweep, ReportOutcome Report) Run(Func<LocalSweep, SweepOutcome> sweep, IReproductionListener listener)
    {
        var outcome = sweep(Sweep());
        listener.Swept(Experiment, Scale, outcome);
        if (Experiment == "figure1" && outcome.Done > 0)
        {
            using var writable = Stores.OpenToAdd(Database);
            var runs = SweepMeasures.RunsOf(writable, Database.IsPostgres ? RunsDir : SweepMeasures.DefaultRunsDir(Database), Experiment, Scale)
                .Select(r => ((string?)r.Hash, r.Dir)).ToList();
            MeasuresJob.Run(runs, writable, MeasureGroups.All, new FlatnessSettings(), listener.Log);
            CapacityJob.Run(writable, Scale == "dry-run", DataDir, listener);
        }
        using var store = Stores.OpenExisting(Database);
        return (outcome, ReportBuilder.Build(store, ReportDir, Scale, Experiment, Out));
    }

    /// <summary>The report sections whose findings <c>reproduce</c> prints after NAME's own (figure1 measured its runs; noise's runs take Arpit et al.'s memorization measures).</summary>
    public IReadOnlyList<string> AlsoPrinted => Experiment switch
    {
        "figure1" => [Reporting.Sections.MeasuresSection.SectionTitle],
        "noise" => [Reporting.Sections.AdversarialSection.SectionTitle],
        _ => [],
    };
}
