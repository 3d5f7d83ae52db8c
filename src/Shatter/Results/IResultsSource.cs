using Shatter.Training;

namespace Shatter.Results;

/// <summary>
/// The results side of a results database, as the report and the status command read it: runs with their spec,
/// grid point, status and summary; their per-epoch, per-step and per-example metrics; attempts and report hints.
/// </summary>
public interface IResultsSource
{
    /// <summary>Where the store is, as it may be printed (a file path, or a PostgreSQL URL without password).</summary>
    string Path { get; }

    /// <summary>The runs of a spec and scale (both optional filters), in spec, scale and grid order.</summary>
    IReadOnlyList<RunRecord> Runs(string? spec = null, string? scale = null);

    /// <summary>One run as seen from (spec, scale); null if it is not part of it.</summary>
    RunRecord? Get(string hash, string spec, string scale);

    /// <summary>(spec, scale) pairs present in the store.</summary>
    IReadOnlyList<(string Spec, string Scale)> Sections();

    IReadOnlyList<EpochMetrics> Epochs(string hash);
    IReadOnlyList<StepRow> Steps(string hash);
    IReadOnlyList<ExampleRow> Examples(string hash);

    /// <summary>Every attempt at a run, or at every run when <paramref name="hash"/> is null, by run and number.</summary>
    IReadOnlyList<RunAttempt> Attempts(string? hash = null);

    /// <summary>Every run's stored complexity measures (<c>shatter measures</c>), by run hash; empty when none were stored.</summary>
    IReadOnlyDictionary<string, MeasureFile> Measures();

    /// <summary>Every stored attack point (<c>shatter attack</c>), by run, method, set and ε; empty when none were stored.</summary>
    IReadOnlyList<StoredAttack> Attacks();

    /// <summary>Every stored memorization point (runs with --memorization-epochs), by run, epoch and group; empty when none were stored.</summary>
    IReadOnlyList<(string Hash, MemorizationPoint Point)> Memorization();

    /// <summary>The stored Rademacher and shattering results; none when none were stored.</summary>
    StoredCapacity Capacity();

    /// <summary>A spec's stored <c>report:</c> hints; null when it has none.</summary>
    ReportHints? ReportHints(string spec);
}
