using Shatter.Results;

namespace Shatter.Tests.Results;

public sealed class DatabaseAddressTests
{
    [Fact]
    public void A_path_is_a_sqlite_file_and_a_postgresql_url_names_server_user_and_database()
    {
        var file = DatabaseAddress.Parse("results/x.db");
        Assert.False(file.IsPostgres);
        Assert.Equal(Path.GetFullPath("results/x.db"), file.Display);

        var pg = DatabaseAddress.Parse("postgresql://alice@db.lab:6543/sweeps");
        Assert.True(pg.IsPostgres);
        var cs = new Npgsql.NpgsqlConnectionStringBuilder(pg.ConnectionString());
        Assert.Equal(("db.lab", 6543, "alice", "sweeps"), (cs.Host, cs.Port, cs.Username, cs.Database));
        Assert.Null(cs.Password);   // Npgsql takes it from PGPASSWORD or ~/.pgpass
        Assert.Equal(5432, new Npgsql.NpgsqlConnectionStringBuilder(DatabaseAddress.Parse("postgres://bob@h/db").ConnectionString()).Port);
    }

    [Theory]
    [InlineData("postgresql://alice:s3cret@h:5432/db", "--db holds a password; leave it out of the URL and put it in PGPASSWORD or ~/.pgpass")]
    [InlineData("mysql://alice@h/db", "unknown scheme 'mysql'")]
    [InlineData("postgresql://alice@h:5432/", "names no database")]
    [InlineData("postgresql://alice@h:99999/db", "is not a valid PostgreSQL URL")]
    public void A_malformed_address_is_one_sentence_that_never_repeats_a_password(string db, string expected)
    {
        var e = Assert.Throws<ShatterException>(() => DatabaseAddress.Parse(db));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain("s3cret", e.Message);
    }

    [Fact]
    public void Without_db_the_address_comes_from_SHATTER_DB_then_the_default_file()
    {
        var before = Environment.GetEnvironmentVariable("SHATTER_DB");
        try
        {
            Environment.SetEnvironmentVariable("SHATTER_DB", null);
            Assert.Equal(Path.GetFullPath(DatabaseAddress.DefaultFile), DatabaseAddress.Resolve(null).Display);
            Environment.SetEnvironmentVariable("SHATTER_DB", "postgresql://u@h/d");
            Assert.Equal("postgresql://u@h/d", DatabaseAddress.Resolve(null).Display);
            Assert.Equal(Path.GetFullPath("given.db"), DatabaseAddress.Resolve("given.db").Display);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SHATTER_DB", before);
        }
    }
}
