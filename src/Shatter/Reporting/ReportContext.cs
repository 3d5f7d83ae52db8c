using Shatter.Adversarial;
using Shatter.Experiments;
using Shatter.Measures;
using Shatter.Results;

namespace Shatter.Reporting;

/// <summary>
/// What every report section reads: the runs of one scale (each with its spec and grid point, metrics
/// loaded on first use), the spec's report hints, and the folder the database lives in (for results
/// saved beside it, such as the theory section's).
/// </summary>
public sealed class ReportContext(string databasePath, string scale, IReadOnlyList<ReportRun> runs, Func<string, ReportHints?> hints,
    Func<IReadOnlyList<RunAttempt>>? attempts = null, Func<IReadOnlyDictionary<string, MeasureFile>>? measures = null, string? resultsFolder = null,
    Func<IReadOnlyList<StoredAttack>>? attacks = null, Func<IReadOnlyList<(string Hash, MemorizationPoint Point)>>? memorization = null,
    Func<StoredCapacity>? capacity = null)
{
    public string DatabasePath => databasePath;

    /// <summary>Where results saved beside the database are (the theory section's): the SQLite file's folder, or the one given (PostgreSQL).</summary>
    public string ResultsFolder => resultsFolder is null ? Path.GetDirectoryName(Path.GetFullPath(databasePath))! : Path.GetFullPath(resultsFolder);
    public string Scale => scale;

    /// <summary>Every run of the scale, once per spec it belongs to, in spec and grid order.</summary>
    public IReadOnlyList<ReportRun> Runs => runs;

    /// <summary>Each stored run once (a run shared by two specs counts once).</summary>
    public IReadOnlyList<ReportRun> Distinct { get; } = [.. runs.GroupBy(r => r.Record.Hash).Select(g => g.First())];

    public IReadOnlyList<string> Specs { get; } = [.. runs.Select(r => r.Record.Spec).Distinct()];

    public IReadOnlyList<ReportRun> RunsOf(string spec) => [.. runs.Where(r => r.Record.Spec == spec)];

    /// <summary>The <c>report:</c> hints of a spec, as the sweep stored them; null when it gave none.</summary>
    public ReportHints? HintsOf(string spec) => hints(spec);

    /// <summary>Every attempt the store recorded (all runs; sections filter by their runs); none when the context has no store.</summary>
    public IReadOnlyList<RunAttempt> Attempts => attemptsOnce ??= attempts?.Invoke() ?? [];
    IReadOnlyList<RunAttempt>? attemptsOnce;

    /// <summary>Every run's stored complexity measures, by hash (read once, on first use); none when the context has no store.</summary>
    public IReadOnlyDictionary<string, MeasureFile> Measures => measuresOnce ??= measures?.Invoke() ?? new Dictionary<string, MeasureFile>();
    IReadOnlyDictionary<string, MeasureFile>? measuresOnce;

    /// <summary>Every stored attack point (read once, on first use); none when the context has no store.</summary>
    public IReadOnlyList<StoredAttack> Attacks => attacksOnce ??= attacks?.Invoke() ?? [];
    IReadOnlyList<StoredAttack>? attacksOnce;

    /// <summary>Every stored memorization point by run (read once, on first use); none when the context has no store.</summary>
    public IReadOnlyList<(string Hash, MemorizationPoint Point)> Memorization => memorizationOnce ??= memorization?.Invoke() ?? [];
    IReadOnlyList<(string Hash, MemorizationPoint Point)>? memorizationOnce;

    /// <summary>The stored Rademacher and shattering results (read once, on first use); none when the context has no store.</summary>
    public StoredCapacity Capacity => capacityOnce ??= capacity?.Invoke() ?? StoredCapacity.None;
    StoredCapacity? capacityOnce;

    /// <summary>
    /// The runs of a store at a scale, with their metrics read lazily from it; results saved beside the database are
    /// looked for in <paramref name="resultsFolder"/> (default: the SQLite file's folder).
    /// </summary>
    public static ReportContext From(IResultsSource store, string scale, string? resultsFolder = null) =>
        new(store.Path, scale,
            [.. store.Runs(scale: scale).Select(r => new ReportRun(r, () => store.Epochs(r.Hash), () => store.Steps(r.Hash), () => store.Examples(r.Hash)))],
            store.ReportHints, () => store.Attempts(), store.Measures, resultsFolder, store.Attacks, store.Memorization, store.Capacity);
}
