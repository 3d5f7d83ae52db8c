using Shatter.Experiments;
using Shatter.Results;
using Shatter.Tests.Experiments;
using Shatter.Tests.Results;

namespace Shatter.Tests.Cli;

/// <summary>
/// The commands that read a results database (runs, export-db, measures) on a PostgreSQL database: the same sweep
/// (the fake executor) into a SQLite file and into PostgreSQL lists and exports alike.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresReadCommandsTests(PostgresServer server) : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "shatter-pgread-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Scratch.Delete(dir);
    }

    const string Spec = "name: s\nscales: { q: { train_size: 40, epochs: 2 } }\ngrid:\n  seed: [1, 2, 3]\n  label_noise: [0, 1]\n";

    /// <summary>The fake sweep of <see cref="Spec"/> into <paramref name="address"/>, run folders under <paramref name="results"/>.</summary>
    static void Sweep(DatabaseAddress address, string results)
    {
        using var store = Stores.Open(address);
        var outcome = new Sweep(store, new FakeExecutor(), new SweepOptions { ResultsDir = results })
            .Run(SpecParser.Parse(Spec, "s.yaml"), "q", null, CancellationToken.None);
        Assert.Equal(6, outcome.Done);
    }

    /// <summary>A CSV file's lines without the columns that hold times (claims, heartbeats), durations or workers (they differ between any two sweeps).</summary>
    static List<string> WithoutTimings(string file)
    {
        var lines = File.ReadAllLines(file);
        var header = lines[0].Split(',');
        var keep = Enumerable.Range(0, header.Length).Where(i => !(header[i].EndsWith("_at", StringComparison.Ordinal) || header[i].Contains("seconds", StringComparison.Ordinal)
            || header[i] is "worker" or "run_worker" or "heartbeat" or "run_heartbeat" || header[i].StartsWith("host_", StringComparison.Ordinal))).ToArray();
        // the cells hold no commas here (no JSON text columns survive the filter in these tables)
        return [.. lines.Select(l => string.Join(",", keep.Select(i => i < l.Split(',').Length ? l.Split(',')[i] : "")))];
    }

    [Fact]
    public void Runs_and_export_db_read_a_postgresql_database_as_they_read_sqlite()
    {
        var sqlite = DatabaseAddress.Parse(Path.Combine(dir, "sqlite", "shatter.db"));
        var pg = server.NewDatabase();
        Sweep(sqlite, Path.Combine(dir, "sqlite"));
        Sweep(pg, Path.Combine(dir, "pg"));

        var listed = new[] { sqlite, pg }.Select(a => CliRunner.Run("runs", "--db", a.Display, "--csv", "--where", "label_noise=1")).ToList();
        Assert.All(listed, r => Assert.True(r.ExitCode == 0, r.Error));
        var lines = listed[0].Output.Trim().Split('\n');
        Assert.Equal(4, lines.Length);   // the header and the three seeds at label noise 1
        Assert.All(lines.Skip(1), l => Assert.Contains(",done,", l));
        Assert.Equal(listed[0].Output, listed[1].Output);   // wall_seconds comes from summary.json: the fake executor's, alike

        var table = CliRunner.Run("runs", "--db", pg.Display, "--spec", "s");
        Assert.True(table.ExitCode == 0, table.Error);
        Assert.Contains("6 of 6 runs", table.Output);

        foreach (var (a, name) in new[] { (sqlite, "sqlite"), (pg, "pg") })
        {
            var export = CliRunner.Run("export-db", "--db", a.Display, "--format", "csv", "--out", Path.Combine(dir, "export-" + name));
            Assert.True(export.ExitCode == 0, export.Error);
        }
        var files = Directory.GetFiles(Path.Combine(dir, "export-sqlite")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["attacks.csv", "capacity.csv", "epochs.csv", "examples.csv", "measure_series.csv", "measures.csv", "memorization.csv", "run_attempts.csv", "runs.csv", "steps.csv"], files);
        Assert.Equal(files, Directory.GetFiles(Path.Combine(dir, "export-pg")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var file in new[] { "epochs.csv", "steps.csv", "examples.csv" })   // the same rows (PostgreSQL keeps them in the order they came, SQLite by key)
            Assert.Equal(File.ReadAllLines(Path.Combine(dir, "export-sqlite", file)).Order(StringComparer.Ordinal), File.ReadAllLines(Path.Combine(dir, "export-pg", file)).Order(StringComparer.Ordinal));
        var runsA = WithoutTimings(Path.Combine(dir, "export-sqlite", "runs.csv"));
        var runsB = WithoutTimings(Path.Combine(dir, "export-pg", "runs.csv"));
        Assert.Equal(7, runsA.Count);
        Assert.Equal(runsA[0], runsB[0]);   // the same columns in the same order
        Assert.Equal(runsA.Skip(1).Order(StringComparer.Ordinal), runsB.Skip(1).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Measures_of_a_postgresql_database_say_where_run_folders_were_looked_for()
    {
        var pg = server.NewDatabase();
        Sweep(pg, Path.Combine(dir, "pg"));
        var csv = Path.Combine(dir, "m.csv");
        var r = CliRunner.Run("measures", "--db", pg.Display, "--spec", "s", "--csv", csv);
        Assert.True(r.ExitCode == 0, r.Error);
        // run folders with PostgreSQL are looked for in results/runs under the current folder: these are elsewhere
        Assert.Contains($"skipping 6 runs whose folders are not in {Path.GetFullPath(Path.Combine("results", "runs"))}", r.Output);
        Assert.Equal(["run,hash"], File.ReadAllLines(csv));

        var none = CliRunner.Run("measures", "--db", pg.Display, "--spec", "nope", "--csv", csv);
        Assert.Equal(2, none.ExitCode);
        Assert.Contains($"the results database {pg.Display} has no runs of spec 'nope'", none.Error);

        var unreachable = CliRunner.Run("runs", "--db", "postgresql://shatter@127.0.0.1:1/nothing");
        Assert.Equal(2, unreachable.ExitCode);
        Assert.Contains("cannot use the PostgreSQL database postgresql://shatter@127.0.0.1:1/nothing (", unreachable.Error);

        var empty = server.NewDatabase();
        var fresh = CliRunner.Run("measures", "--db", empty.Display, "--spec", "s", "--csv", csv);
        Assert.Equal(2, fresh.ExitCode);
        Assert.Contains($"the PostgreSQL database {empty.Display} holds no shatter results", fresh.Error);
    }
}
