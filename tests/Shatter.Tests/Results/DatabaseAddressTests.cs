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
    [InlineData("postgresql://u@h:5432/db?password=s3cret", "has options after '?', which shatter does not read")]
    [InlineData("postgresql://u@h:p/db?password=s3cret", "is not a valid PostgreSQL URL")]
    [InlineData("postgresql://u@h:5432/?password=s3cret", "names no database")]
    [InlineData("postgresql://u@h:5432/a/b?sslmode=require&password=s3cret", "names no database")]
    [InlineData("mysql://u@h/db?password=s3cret", "unknown scheme 'mysql'")]
    public void A_malformed_address_is_one_sentence_that_never_repeats_a_password(string db, string expected)
    {
        var e = Assert.Throws<ShatterException>(() => DatabaseAddress.Parse(db));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain("s3cret", e.Message);
    }

    [Fact]
    public void A_command_given_a_password_in_the_url_never_prints_it()
    {
        foreach (var command in new[] { "runs", "status", "report", "export-db", "worker" })
        {
            var result = Shatter.Tests.Cli.CliRunner.Run(command, "--db", "postgresql://u@h:p/db?password=s3cret");
            Assert.Equal(2, result.ExitCode);
            Assert.DoesNotContain("s3cret", result.Output + result.Error);
        }
    }
}
