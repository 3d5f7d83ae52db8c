namespace Shatter.Results;

/// <summary>Opens the results database an address names, in its backend: SQLite (<see cref="ResultsStore"/>) or PostgreSQL (<see cref="PostgresStore"/>).</summary>
public static class Stores
{
    /// <summary>Opens the store for a sweep or a worker, creating (SQLite) or migrating (both) its schema.</summary>
    public static IResultsStore Open(DatabaseAddress address) =>
        address.IsPostgres ? PostgresStore.Open(address) : ResultsStore.Open(address.File!);

    /// <summary>Opens an existing store for reading (the report, the status); an error if there is none.</summary>
    public static IResultsStore OpenExisting(DatabaseAddress address) =>
        address.IsPostgres ? PostgresStore.OpenExisting(address) : ResultsStore.OpenExisting(address.File!);

    /// <summary>
    /// Opens an existing store to add results to it (the measures of its runs): an error if there is none (nothing is
    /// created); its schema is brought up to date, as a sweep would.
    /// </summary>
    public static IResultsStore OpenToAdd(DatabaseAddress address)
    {
        if (address.IsPostgres) return PostgresStore.OpenToAdd(address);
        if (!File.Exists(address.File))
            throw new ShatterException($"no results database at {address.File}; run 'shatter sweep' first or give --db the file it wrote.");
        return ResultsStore.Open(address.File!);
    }
}
