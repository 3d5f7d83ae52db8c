namespace Shatter.Results;

/// <summary>A results database: its run queue and its results, in one of two backends (SQLite or PostgreSQL).</summary>
public interface IResultsStore : IRunQueue, IResultsSource, IDisposable
{
    /// <summary>Where the store is, as it may be printed.</summary>
    new string Path { get; }
    string IRunQueue.Path => Path;
    string IResultsSource.Path => Path;

    /// <summary>Replaces the stored complexity measures of run <paramref name="hash"/> by <paramref name="file"/>'s, in one transaction.</summary>
    void SaveMeasures(string hash, MeasureFile file);

    /// <summary>Replaces run <paramref name="hash"/>'s stored attack points of <paramref name="report"/>'s method, in one transaction.</summary>
    void SaveAttack(string hash, AttackReport report);

    /// <summary>Replaces run <paramref name="hash"/>'s stored memorization points by <paramref name="file"/>'s, in one transaction.</summary>
    void SaveMemorization(string hash, MemorizationFile file);

    /// <summary>Stores a Rademacher result, replacing one of the same setting (<see cref="StoredCapacity.Setting(RademacherResult)"/>).</summary>
    void SaveCapacity(RademacherResult result);

    /// <summary>Stores a shattering result, replacing one of the same setting.</summary>
    void SaveCapacity(ShatteringResult result);
}
