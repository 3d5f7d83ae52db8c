namespace Shatter.Results;

/// <summary>Opens the results database an address names, in its backend: SQLite (<see cref="SqliteStore"/>) or PostgreSQL (<see cref="PostgresStore"/>).</summary>
public static class Stores
{
    /// <summary>Opens the store for a sweep or a worker, creating (SQLite) or migrating (both) its schema.</summary>
    public static RelationalStore Open(DatabaseAddress address) =>
        address.IsPostgres ? PostgresStore.Open(address) : SqliteStore.Open(address.File!);

    /// <summary>Opens an existing store for reading only (the report, the status, runs, export-db); an error if there is none.</summary>
    public static RelationalStore OpenExisting(DatabaseAddress address) =>
        address.IsPostgres ? PostgresStore.OpenExisting(address) : SqliteStore.OpenExisting(address.File!);

    /// <summary>
    /// Opens an existing store to add results to it (the measures of its runs): an error if there is none (nothing is
    /// created); its schema is brought up to date, as a sweep would.
    /// </summary>
    public static RelationalStore OpenToAdd(DatabaseAddress address)
    {
        if (address.IsPostgres) return PostgresStore.OpenToAdd(address);
        if (!File.Exists(address.File))
            throw new ShatterException($"no results database at {address.File}; run 'shatter sweep' first or give --db the file it wrote.");
        return SqliteStore.Open(address.File!);
    }
}
