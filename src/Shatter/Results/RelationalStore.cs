using System.Data.Common;

namespace Shatter.Results;

/// <summary>
/// The one implementation of a results database over ADO.NET (as Optuna's RDBStorage is one over SQLAlchemy): the run
/// queue (<see cref="IRunQueue"/>) and the results (<see cref="IResultsSource"/>) in the same tables and the same SQL
/// for both backends. What differs is small and named, in the two backends that derive from it: the clock expressions,
/// claiming, migrations, bulk inserts, the catalogue queries and how a driver error reads (<see cref="SqliteStore"/>,
/// <see cref="PostgresStore"/>). Statements use <c>@name</c> parameters and <c>INSERT … ON CONFLICT</c> upserts,
/// which both SQLite and PostgreSQL understand.
/// <para>
/// One connection per store, guarded by a lock (the heartbeat timer shares it). Times are the database's clock
/// (<see cref="Now"/>), so leases never depend on the workers' clocks. One rule for numbers that are not finite
/// (<see cref="Stored"/>): NaN and ±∞ are stored as NULL, in every table and both backends, and a NULL metric reads
/// back as NaN (a NULL measure as null: not computable).
/// </para>
/// The class is split over three files (this one: connection and statements; .Queue.cs; .Results.cs) and is over 400
/// lines in all because it is the whole store, once, where there were two.
/// </summary>
public abstract partial class RelationalStore : IResultsStore
{
    readonly DbConnection connection;
    protected readonly Lock Gate = new();

    public string Path { get; }

    /// <summary>Opened for reading only: no schema was created or migrated, and nothing may be written.</summary>
    public bool ReadOnly { get; }

    /// <summary>The schema version the database holds (after migrating, when opened for writing).</summary>
    public int Version { get; protected set; }

    protected RelationalStore(string path, DbConnection connection, bool readOnly)
    {
        Path = path;
        this.connection = connection;
        ReadOnly = readOnly;
    }

    // ---- what each backend says in its own dialect -------------------------------------------------------------

    /// <summary>The backend's name for messages: "SQLite" or "PostgreSQL".</summary>
    protected abstract string Backend { get; }

    /// <summary>An SQL expression for the database's current time, as a time column stores it.</summary>
    protected abstract string Now { get; }

    /// <summary>An SQL expression for the seconds (a real) from the time in <paramref name="column"/> to now, by the database's clock.</summary>
    protected abstract string SecondsSince(string column);

    /// <summary>An SQL expression for a time column as ISO 8601 UTC text with milliseconds ("2026-01-02T03:04:05.678Z").</summary>
    protected abstract string TimeText(string column);

    /// <summary>The names of the database's tables, in ordinal name order.</summary>
    protected abstract string TablesSql { get; }

    /// <summary>(name, declared type) of a table's columns, in order; <c>@t</c> is the table.</summary>
    protected abstract string ColumnsSql { get; }

    /// <summary>The kind of a column from its declared type.</summary>
    internal abstract ColumnKind KindOf(string declaredType);

    /// <summary>Takes the first claimable run (see <see cref="IRunQueue.Claim"/>) and marks it running under the request's worker and lease.</summary>
    protected abstract (string Hash, string Spec, string Scale, string OldStatus)? ClaimOne(ClaimRequest request);

    /// <summary>Writes a finished run's epochs, steps and examples (their old rows already deleted) inside <paramref name="tx"/>.</summary>
    protected abstract void InsertMetrics(DbTransaction tx, string hash, RunResult result);

    /// <summary>A write transaction: SQLite's BEGIN IMMEDIATE (the write lock at once), PostgreSQL's READ COMMITTED.</summary>
    protected virtual DbTransaction BeginWrite() => connection.BeginTransaction();

    /// <summary>Gets the connection ready for a statement outside a transaction (PostgreSQL: reconnects after a drop).</summary>
    protected virtual void Ready() { }

    /// <summary>One sentence for a driver error met while using the database, or null if it is not the database's fault (a bug).</summary>
    protected abstract string? Explain(DbException e);

    // ---- statements ----------------------------------------------------------------------------------------------

    protected DbConnection Connection => connection;

    /// <summary>
    /// What a parameter stores, the one rule of both backends: NULL for null and for a non-finite real (NaN, ±∞;
    /// SQLite would keep ±∞ and PostgreSQL all three, and JSON none).
    /// </summary>
    internal static object Stored(object? value) => value switch
    {
        null => DBNull.Value,
        double d when !double.IsFinite(d) => DBNull.Value,
        float f when !float.IsFinite(f) => DBNull.Value,
        float f => (double)f,
        _ => value,
    };

    protected DbCommand Command(string sql, DbTransaction? tx, params (string Name, object? Value)[] parameters)
    {
        if (tx is null && snapshot is null) Ready();
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx ?? snapshot;
        foreach (var (name, value) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = Stored(value);
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    protected int Execute(string sql, DbTransaction? tx, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(sql, tx, parameters);
        return Guard(cmd.ExecuteNonQuery);
    }

    protected object? Scalar(string sql, DbTransaction? tx, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(sql, tx, parameters);
        var value = Guard(cmd.ExecuteScalar);
        return value is DBNull ? null : value;
    }

    /// <summary>One read under the store's lock: the statement's rows, mapped by one of <see cref="StoreRows"/>.</summary>
    protected List<T> Query<T>(Func<DbDataReader, List<T>> map, string sql, params (string Name, object? Value)[] parameters)
    {
        lock (Gate)
        {
            using var cmd = Command(sql, null, parameters);
            return Guard(() =>
            {
                using var r = cmd.ExecuteReader();
                return map(r);
            });
        }
    }

    /// <summary>A write transaction under the store's lock whose <paramref name="work"/> commits it (or rolls it back) itself and returns a value.</summary>
    protected T Transact<T>(Func<DbTransaction, T> work)
    {
        if (ReadOnly) throw new InvalidOperationException($"the results database {Path} was opened for reading only");
        lock (Gate)
        {
            Ready();
            using var tx = Guard(BeginWrite);
            return Guard(() => work(tx));
        }
    }

    /// <summary>A write transaction under the store's lock, committed when <paramref name="work"/> returns.</summary>
    protected void Write(Action<DbTransaction> work) => Transact(tx =>
    {
        work(tx);
        tx.Commit();
        return 0;
    });

    /// <summary>Runs a driver call; a database error that is the database's fault (damaged, full, gone) becomes one sentence naming it.</summary>
    protected T Guard<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (DbException e) when (Explain(e) is { } sentence)
        {
            throw new ShatterException(sentence, e);
        }
    }

    /// <summary>The tables the database holds (cached after the first look: a store's schema does not change under it).</summary>
    public IReadOnlyList<string> Tables()
    {
        lock (Gate)
        {
            if (tables is not null) return tables;
            var list = new List<string>();
            using var cmd = Command(TablesSql, null);
            Guard(() =>
            {
                using var r = cmd.ExecuteReader();
                while (r.Read()) list.Add(r.GetString(0));
                return 0;
            });
            return tables = list;
        }
    }

    IReadOnlyList<string>? tables;

    /// <summary>Forgets the cached table list (after a migration added tables).</summary>
    protected void TablesChanged() => tables = null;

    /// <summary>The columns of <paramref name="table"/>: name and kind from the declared type.</summary>
    public IReadOnlyList<TableColumn> Columns(string table)
    {
        lock (Gate)
        {
            var list = new List<TableColumn>();
            using var cmd = Command(ColumnsSql, null, ("@t", table));
            Guard(() =>
            {
                using var r = cmd.ExecuteReader();
                while (r.Read()) list.Add(new TableColumn(r.GetString(0), KindOf(r.IsDBNull(1) ? "" : r.GetString(1))));
                return 0;
            });
            return list;
        }
    }

    bool Has(string table) => Tables().Contains(table);

    /// <summary>A read-only snapshot of the database for listing and export (<see cref="ResultsReader"/>): its own transaction on this connection.</summary>
    internal DbTransaction BeginSnapshot()
    {
        Ready();
        return snapshot = Guard(BeginSnapshotCore);
    }

    /// <summary>The open snapshot of a <see cref="ResultsReader"/>: every statement of this store reads through it.</summary>
    DbTransaction? snapshot;

    /// <summary>SQLite: a deferred read transaction; PostgreSQL: REPEATABLE READ, READ ONLY.</summary>
    protected abstract DbTransaction BeginSnapshotCore();

    internal DbCommand ReaderCommand(string sql, DbTransaction snapshot) => Command(sql, snapshot);

    /// <summary>Runs a reader call through <see cref="Guard{T}"/> (a damaged page met while streaming rows is one sentence too).</summary>
    internal T Guarded<T>(Func<T> call) => Guard(call);

    public void Dispose() => connection.Dispose();
}
