using Shatter.Results;

namespace Shatter.Experiments;

/// <summary>Where a sweep's files go besides the database.</summary>
public static class SweepFolders
{
    /// <summary>
    /// The results folder (worker logs, Slurm scripts, report inputs saved beside the database): the SQLite file's folder;
    /// for PostgreSQL the folder above the run folders (<paramref name="runsDir"/>), else ./results.
    /// </summary>
    public static string Results(DatabaseAddress address, string? runsDir) =>
        address.IsPostgres
            ? Path.GetFullPath(runsDir is null ? "results" : Path.Combine(runsDir, ".."))
            : Path.GetDirectoryName(Path.GetFullPath(address.File!))!;
}
