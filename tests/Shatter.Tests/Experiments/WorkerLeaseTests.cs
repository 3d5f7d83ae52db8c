using System.Diagnostics;
using Shatter.Results;
using Shatter.Tests.Cli;
using Shatter.Tests.Results;

namespace Shatter.Tests.Experiments;

/// <summary>
/// Two real <c>shatter worker</c> processes with different <c>--lease</c> values on one queue (SQLite and PostgreSQL):
/// the lease is the holder's, so a claimer with a short lease cannot take a run whose holder has a long one; and a
/// holder that did lose its run (frozen past its own lease) stops at once when it wakes, writes nothing more, and the
/// run ends done by the new holder, not failed. Freezing a worker (SIGSTOP) makes its heartbeat stop for as long as the
/// test wants, so no step depends on the machine's speed; it is frozen only where it holds no transaction (see
/// <see cref="Freeze"/>).
/// </summary>
public abstract class WorkerLeaseTests : IDisposable
{
    protected readonly string Dir = Path.Combine(Path.GetTempPath(), "shatter-lease-" + Guid.NewGuid().ToString("N"));
    string SpecPath => Path.Combine(Dir, "lease.yaml");
    string RunsDir => Path.Combine(Dir, "runs");

    /// <summary>A new, empty queue of this backend as --db names it.</summary>
    protected abstract string NewQueue();

    /// <summary>Whether another connection holds a transaction open on the queue <paramref name="db"/> (SQLite: its write lock).</summary>
    protected abstract bool InTransaction(string db);

    public void Dispose()
    {
        Scratch.Delete(Dir);
    }

    const string Spec = """
        name: lease
        scales:
          s: { train_size: 600, test_size: 200, epochs: 10, batch_size: 50, threads: 1 }
        grid:
          model: [mlp-1x512]
          seed: [5]
        """;

    string Enqueue()
    {
        Directory.CreateDirectory(Dir);
        File.WriteAllText(SpecPath, Spec);
        var db = NewQueue();
        var enqueue = CliRunner.Run("sweep", SpecPath, "--scale", "s", "--db", db, "--enqueue");
        Assert.True(enqueue.ExitCode == 0, enqueue.Output + enqueue.Error);
        return db;
    }

    ShatterProcess Worker(string db, string lease) => ShatterProcess.Start(null, "worker", "--db", db, "--runs-dir", RunsDir, "--lease", lease);

    static void Until(Func<bool> condition, ShatterProcess watched, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), $"{what} did not happen within 3 minutes:\n{watched.Output}");
            Thread.Sleep(100);
        }
    }

    /// <summary>
    /// Freezes <paramref name="worker"/> (SIGSTOP) at a moment it holds no transaction. A heartbeat's write takes about a
    /// millisecond of every beat; a worker frozen inside one would keep the other worker from the queue until it resumes,
    /// so a freeze that lands there is undone and tried again a little later.
    /// </summary>
    void Freeze(ShatterProcess worker, string db)
    {
        for (int attempt = 1; ; attempt++)
        {
            worker.Signal("STOP");
            Until(() => Stopped(worker.Id), worker, "the worker's stop");
            if (!InTransaction(db)) return;
            Assert.True(attempt < 100, "the worker held a transaction open at each of 100 freezes");
            worker.Signal("CONT");
            Thread.Sleep(37);
        }
    }

    /// <summary>Whether the process is stopped: state T in /proc/PID/stat (the field after the name in parentheses).</summary>
    static bool Stopped(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('T');
    }

    static RunLease? Lease(string db)
    {
        using var store = Stores.OpenExisting(DatabaseAddress.Parse(db));
        return store.Leases().SingleOrDefault();
    }

    [Fact]
    public void The_freeze_sees_a_transaction_another_connection_holds_open_and_none_once_it_ends()
    {
        var db = Enqueue();
        Assert.False(InTransaction(db));
        using (HoldTransaction(db))
            Assert.True(InTransaction(db));
        Assert.False(InTransaction(db));
    }

    /// <summary>A connection of its own with a write transaction open on the queue until disposed.</summary>
    protected abstract IDisposable HoldTransaction(string db);

    [Fact]
    public void A_claimer_with_a_short_lease_cannot_take_a_run_whose_holder_renews_within_its_own_long_lease()
    {
        var db = Enqueue();
        using var holder = Worker(db, "600");
        Until(() => Lease(db) is not null, holder, "the holder's claim");
        Freeze(holder, db);   // silent from now on, within its own 600 s lease
        using var claimer = Worker(db, "1");
        // the claimer polls every 0.5 s; under its own 1 s lease it would take the run once the holder is 1 s silent
        Until(() => Lease(db)!.SecondsSinceHeartbeat > 6 && claimer.Output.Contains("serving"), claimer, "six silent seconds while the claimer serves");
        Assert.Equal(600, Lease(db)!.LeaseSeconds);
        Assert.DoesNotContain("start ", claimer.Output);
        holder.Signal("CONT");
        Assert.Equal(0, holder.Wait(TimeSpan.FromMinutes(4)));
        Assert.Equal(0, claimer.Wait(TimeSpan.FromMinutes(4)));
        Assert.Contains("ran 1 runs here; the queue has 1 of 1 runs done, 0 failed.", holder.Output);
        Assert.Contains("ran 0 runs here; the queue has 1 of 1 runs done, 0 failed.", claimer.Output);
        using var store = Stores.OpenExisting(DatabaseAddress.Parse(db));
        var run = store.Runs("lease", "s").Single();
        Assert.Equal([AttemptOutcome.Done], store.Attempts(run.Hash).Select(a => a.Outcome));
        Assert.Equal(11, store.Epochs(run.Hash).Count);
    }

    [Fact]
    public void A_holder_that_lost_its_lease_stops_at_once_and_the_run_ends_done_by_the_new_holder()
    {
        var db = Enqueue();
        using var first = Worker(db, "2");
        Until(() => Directory.Exists(RunsDir) && Directory.GetDirectories(RunsDir).SingleOrDefault() is { } f && RunProgress.EpochRows(f) >= 1, first, "the first worker's first epoch");
        Freeze(first, db);   // silent past its own 2 s lease: the run is free to take
        var firstWorker = Lease(db)!.Worker;
        using var second = Worker(db, "600");
        Until(() => Lease(db) is { } l && l.Worker != firstWorker, second, "the second worker's takeover");
        first.Signal("CONT");   // its next heartbeat finds the run taken: it stops, writing nothing more
        Assert.Equal(0, second.Wait(TimeSpan.FromMinutes(4)));
        Assert.Equal(0, first.Wait(TimeSpan.FromMinutes(4)));
        Assert.Contains("another worker took it over", first.Output);
        Assert.False((first.Output + second.Output).Contains("failed:"), "FIRST:\n" + first.Output + "\nSECOND:\n" + second.Output);
        Assert.Contains("resume ", second.Output);
        using var store = Stores.OpenExisting(DatabaseAddress.Parse(db));
        var run = store.Runs("lease", "s").Single();
        Assert.Equal(RunStatus.Done, run.Status);
        Assert.Equal([AttemptOutcome.Lost, AttemptOutcome.Done], store.Attempts(run.Hash).Select(a => a.Outcome));
        Assert.NotEqual(firstWorker, store.Attempts(run.Hash)[1].Worker);
        Assert.Equal(11, store.Epochs(run.Hash).Count);
    }
}

public sealed class SqliteWorkerLeaseTests : WorkerLeaseTests
{
    protected override string NewQueue() => Path.Combine(Dir, "queue", "shatter.db");

    protected override bool InTransaction(string db)
    {
        using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Pooling=False;Default Timeout=1");   // retries a busy lock for at most 1 s
        c.Open();
        // one statement a command: in a batch whose first statement returns a row (a PRAGMA), Microsoft.Data.Sqlite
        // drops the errors of the statements after it, so a batch never reported the lock
        using var take = c.CreateCommand();
        take.CommandText = "BEGIN IMMEDIATE";
        try
        {
            take.ExecuteNonQuery();
            using var release = c.CreateCommand();
            release.CommandText = "ROLLBACK";
            release.ExecuteNonQuery();
            return false;
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode == 5)   // SQLITE_BUSY: another connection writes
        {
            return true;
        }
    }

    protected override IDisposable HoldTransaction(string db)
    {
        var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Pooling=False");
        c.Open();
        using var begin = c.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE;";
        begin.ExecuteNonQuery();
        return c;   // closing it rolls the transaction back
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresWorkerLeaseTests(PostgresServer server) : WorkerLeaseTests
{
    protected override string NewQueue() => server.NewDatabase().Display;

    protected override bool InTransaction(string db)
    {
        using var c = new Npgsql.NpgsqlConnection(DatabaseAddress.Parse(db).ConnectionString());
        c.Open();
        using var open = new Npgsql.NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL", c);
        return (long)open.ExecuteScalar()! > 0;
    }

    protected override IDisposable HoldTransaction(string db)
    {
        var c = new Npgsql.NpgsqlConnection(DatabaseAddress.Parse(db).ConnectionString());
        c.Open();
        using var begin = new Npgsql.NpgsqlCommand("BEGIN; SELECT 1;", c);
        begin.ExecuteNonQuery();
        return c;   // closing it rolls the transaction back
    }
}
