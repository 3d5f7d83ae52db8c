using Npgsql;
using Shatter.Results;

namespace Shatter.Tests.Results;

/// <summary>What only the PostgreSQL backend has: explicit schema versions, and connection errors.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreTests(PostgresServer server)
{
    [Fact]
    public void Opening_records_the_schema_version_and_a_newer_schema_is_refused()
    {
        var address = server.NewDatabase();
        var empty = Assert.Throws<ShatterException>(() => PostgresStore.OpenExisting(address));
        Assert.Contains("holds no shatter results; run 'shatter sweep SPEC --db", empty.Message);
        using (var store = PostgresStore.Open(address)) { }
        using (var store = PostgresStore.Open(address)) { }   // migrating twice is a no-op
        using (var c = new NpgsqlConnection(address.ConnectionString()))
        {
            c.Open();
            using var read = new NpgsqlCommand("SELECT value FROM meta WHERE key = 'schema_version'", c);
            Assert.Equal(PostgresStore.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), read.ExecuteScalar());
            using var bump = new NpgsqlCommand("UPDATE meta SET value = '99' WHERE key = 'schema_version'", c);
            bump.ExecuteNonQuery();
        }
        var newer = Assert.Throws<ShatterException>(() => PostgresStore.Open(address));
        Assert.Contains("has schema version 99, newer than this shatter's", newer.Message);
    }

    [Fact]
    public void A_version_1_database_is_read_as_it_is_by_readers_and_migrated_to_the_measures_tables_by_measures()
    {
        var address = server.NewDatabase();
        Assert.Throws<ShatterException>(() => Stores.OpenToAdd(address));   // no shatter schema: nothing to add measures to
        using (var store = PostgresStore.Open(address)) store.Register("s", "q", StoreContractTests.Plan(1));
        using (var c = new NpgsqlConnection(address.ConnectionString()))
        {
            c.Open();   // back to schema 1, as a database the first PostgreSQL shatter wrote
            using var down = new NpgsqlCommand("DROP TABLE measures; DROP TABLE measure_series; DROP TABLE attacks; DROP TABLE memorization; UPDATE meta SET value = '1' WHERE key = 'schema_version'", c);
            down.ExecuteNonQuery();
        }
        using (var old = Stores.OpenExisting(address))   // read-only: no migration, and the tables it lacks read as empty
        {
            Assert.Equal(1, old.Version);
            Assert.Single(old.Runs("s", "q"));
            Assert.Empty(old.Measures());
            Assert.Empty(old.Attacks());
        }
        var file = new MeasureFile();
        file.Values["path_norm"] = 5;
        using (var store = Stores.OpenToAdd(address)) store.SaveMeasures(StoreContractTests.Plan(1)[0].Hash, file);
        using var read = Stores.OpenExisting(address);
        Assert.Equal(5.0, read.Measures()[StoreContractTests.Plan(1)[0].Hash].Value("path_norm"));
        Assert.Single(read.Runs("s", "q"));   // the runs kept through the migration
    }

    [Fact]
    public void An_unreachable_server_is_one_sentence_naming_the_url()
    {
        var address = DatabaseAddress.Parse($"postgresql://shatter@127.0.0.1:1/nothing");
        var e = Assert.Throws<ShatterException>(() => Stores.Open(address));
        Assert.StartsWith("cannot use the PostgreSQL database postgresql://shatter@127.0.0.1:1/nothing (", e.Message);
        Assert.EndsWith("check that the server runs and the user may log in (password in PGPASSWORD or ~/.pgpass).", e.Message);
    }

    [Fact]
    public void A_connection_the_server_dropped_is_reopened_for_the_next_call()
    {
        var address = server.NewDatabase();
        using var store = PostgresStore.Open(address);
        store.Register("s", "q", StoreContractTests.Plan(2));
        using (var admin = new NpgsqlConnection(address.ConnectionString()))
        {
            admin.Open();
            using var kill = new NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", admin);
            kill.ExecuteScalar();
        }
        var gone = Assert.Throws<ShatterException>(() => store.Runs());   // the call that finds the connection gone fails, in one sentence ...
        Assert.StartsWith($"cannot use the PostgreSQL database {address.Display} (", gone.Message);
        Assert.EndsWith("check that the server runs and the user may log in (password in PGPASSWORD or ~/.pgpass).", gone.Message);
        Assert.Equal(2, store.Runs("s", "q").Count);        // ... the next one reconnects
    }
}
