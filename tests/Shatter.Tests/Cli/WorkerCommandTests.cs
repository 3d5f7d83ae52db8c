using Shatter.Tests.Results;

namespace Shatter.Tests.Cli;

/// <summary><c>shatter worker</c> and <c>shatter status</c> through the CLI on the real throwaway PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class WorkerCommandTests(PostgresServer server) : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "shatter-worker-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Scratch.Delete(dir);
    }

    const string Spec = """
        name: small
        scales:
          s: { train_size: 100, test_size: 100, epochs: 1, batch_size: 50, threads: 1 }
        grid:
          model: [mlp-1x512]
          seed: [1, 2, 3]
        """;

    [Fact]
    public void Status_follows_a_queue_that_workers_serve_up_to_max_runs()
    {
        Directory.CreateDirectory(dir);
        var spec = Path.Combine(dir, "small.yaml");
        File.WriteAllText(spec, Spec);
        var db = server.NewDatabase().Display;
        Assert.Equal(0, CliRunner.Run("sweep", spec, "--scale", "s", "--db", db, "--enqueue").ExitCode);
        var before = CliRunner.Run("status", "--db", db);
        Assert.Equal(0, before.ExitCode);
        Assert.Matches(@"small\s+s\s+0/3\s+0\s+3\s+0\s+-\s+-", before.Output);
        Assert.Contains("workers alive: 0", before.Output);

        var worker = CliRunner.Run("worker", "--db", db, "--spec", "small", "--max-runs", "2", "--executor", "none", "--runs-dir", Path.Combine(dir, "runs"));
        Assert.True(worker.ExitCode == 0, worker.Output + worker.Error);
        Assert.Contains("ran 2 runs here; the queue of small has 2 of 3 runs done, 0 failed.", worker.Output);
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(dir, "runs")).Length);
        Assert.Matches(@"small\s+s\s+2/3\s+0\s+1\s+0", CliRunner.Run("status", "--db", db).Output);

        var rest = CliRunner.Run("worker", "--db", db, "--executor", "none", "--runs-dir", Path.Combine(dir, "runs"));
        Assert.Contains("ran 1 runs here; the queue has 3 of 3 runs done, 0 failed.", rest.Output);
        var empty = CliRunner.Run("worker", "--db", db, "--executor", "none", "--runs-dir", Path.Combine(dir, "runs"));
        Assert.Equal(0, empty.ExitCode);   // nothing left: a worker leaves at once, successfully
        Assert.Contains("ran 0 runs here", empty.Output);
    }

    [Fact]
    public void Bad_worker_and_status_input_is_one_sentence_and_exit_code_2()
    {
        var db = server.NewDatabase().Display;
        var none = CliRunner.Run("status", "--db", db);
        Assert.Equal(2, none.ExitCode);
        Assert.Contains($"the PostgreSQL database {db} holds no shatter results; run 'shatter sweep SPEC --db {db}' first.", none.Error);

        var unknown = CliRunner.Run("worker", "--db", db, "--spec", "nope");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Equal($"error: the queue at {db} holds no runs of spec 'nope'; enqueue them first with 'shatter sweep nope --db {db} --enqueue'.", unknown.Error.Trim());

        var malformed = CliRunner.Run("worker", "--db", "postgresql://me:pw@host/");
        Assert.Equal(2, malformed.ExitCode);
        Assert.DoesNotContain("pw", malformed.Error);

        var missing = Path.Combine(dir, "none.db");
        var nofile = CliRunner.Run("worker", "--db", missing);
        Assert.Equal(2, nofile.ExitCode);
        Assert.Contains($"no results database at {missing}; enqueue runs first", nofile.Error);
        Assert.False(File.Exists(missing));   // nothing half-made left behind

        var bare = server.NewDatabase().Display;   // a database no shatter wrote to
        foreach (var args in new[] { new[] { "runs", "--db", bare }, ["export-db", "--db", bare, "--out", Path.Combine(dir, "export")] })
        {
            var empty = CliRunner.Run(args);
            Assert.Equal(2, empty.ExitCode);
            Assert.Contains($"the PostgreSQL database {bare} holds no shatter results; run 'shatter sweep SPEC --db {bare}' first.", empty.Error);
        }
        Assert.False(Directory.Exists(Path.Combine(dir, "export")));
    }
}
