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
}
