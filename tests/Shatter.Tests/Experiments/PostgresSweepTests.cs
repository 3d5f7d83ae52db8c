using Shatter.Measures;
using Shatter.Results;
using Shatter.Runtime;
using Shatter.Tests.Cli;
using Shatter.Tests.Results;

namespace Shatter.Tests.Experiments;

/// <summary>
/// The figure1 dry-run sweep into SQLite and into PostgreSQL (the real trainer, the CLI, the complexity measures,
/// the report): the measures agree bit for bit and the report's tables cell for cell, except the columns that hold wall times, dates and worker names, which differ between
/// any two sweeps.
/// <para>
/// Bit for bit needs torch's process-wide generator to itself while the runs train (<see cref="Training.SerialTorchRandom"/>),
/// so this class runs in that serial collection with a throwaway PostgreSQL server of its own, not the shared one.
/// </para>
/// </summary>
[Collection(Training.SerialTorchRandom.Name)]
public sealed class PostgresSweepTests(PostgresServer server) : IClassFixture<PostgresServer>, IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "shatter-pgsweep-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Scratch.Delete(dir);
    }

    /// <summary>Columns that record when, how fast or by whom, not what a run computed.</summary>
    static bool Timing(string column) =>
        column is "wall_seconds" or "started_at" or "finished_at" or "worker" || column.EndsWith("_seconds", StringComparison.Ordinal);

    static List<string[]> Table(string file)
    {
        var lines = File.ReadAllLines(file);
        var header = lines[0].Split(',');
        var keep = Enumerable.Range(0, header.Length).Where(i => !Timing(header[i])).ToArray();
        return [.. lines.Select(l => l.Split(',')).Select(cells => keep.Select(i => i < cells.Length ? cells[i] : "").ToArray())];
    }

    [Fact]
    public void The_figure1_dry_run_sweep_gives_the_same_report_tables_on_sqlite_and_on_postgresql()
    {
        var pg = server.NewDatabase();
        var sqlite = Path.Combine(dir, "sqlite", "shatter.db");
        var measured = new List<IReadOnlyDictionary<string, MeasureFile>>();
        foreach (var db in new[] { sqlite, pg.Display })
        {
            var runsDir = Path.Combine(dir, db == sqlite ? "sqlite" : "pg", "runs");
            var sweep = CliRunner.Run("sweep", "figure1", "--scale", "dry-run", "--db", db, "--runs-dir", runsDir, "--threads", "1");
            Assert.True(sweep.ExitCode == 0, sweep.Output + sweep.Error);
            Assert.Contains("9 of 9 runs done", sweep.Output);
            // the complexity measures of each sweep's runs, from its own run folders, stored through the same store interface
            using (var store = Stores.OpenToAdd(DatabaseAddress.Parse(db)))
            {
                var runs = SweepMeasures.RunsOf(store, runsDir, "figure1", "dry-run");
                Assert.Equal(9, runs.Count);
                TorchRuntime.SetThreads(1);
                SweepMeasures.Compute([.. runs.Select(r => ((string?)r.Hash, r.Dir))], store, MeasureGroups.All, new FlatnessSettings { Examples = 50, Draws = 1, BisectionSteps = 3 });
            }
            using (var store = Stores.OpenExisting(DatabaseAddress.Parse(db))) measured.Add(store.Measures());
            var report = CliRunner.Run("report", "--db", db, "--out", Path.Combine(dir, db == sqlite ? "sqlite" : "pg", "report"));
            Assert.True(report.ExitCode == 0, report.Output + report.Error);
        }
        // the same values, bit for bit, for every run and measure (the runs trained alike in both)
        Assert.Equal(9, measured[0].Count);
        Assert.Equal(measured[0].Keys.Order(), measured[1].Keys.Order());
        foreach (var (hash, a) in measured[0])
        {
            var b = measured[1][hash];
            Assert.True(a.Values.Count > 10, $"{hash} has {a.Values.Count} measures");
            Assert.Equal(a.Values, b.Values);
            Assert.Equal(a.Series.Keys, b.Series.Keys);
            foreach (var (name, series) in a.Series) Assert.Equal(series, b.Series[name]);
        }
        Assert.Contains(measured[0].Values, m => m.Value("path_norm") is > 0);
        var tables = Directory.GetFiles(Path.Combine(dir, "sqlite", "report", "tables"), "*.csv").Select(Path.GetFileName).Order().ToList();
        Assert.Contains("figure1.csv", tables);
        Assert.Contains("runs.csv", tables);
        Assert.Contains("measures-runs.csv", tables);   // the "Traditional complexity measures" section, in both reports (compared below)
        Assert.Equal(tables, Directory.GetFiles(Path.Combine(dir, "pg", "report", "tables"), "*.csv").Select(Path.GetFileName).Order());
        foreach (var table in tables)
        {
            var a = Table(Path.Combine(dir, "sqlite", "report", "tables", table!));
            var b = Table(Path.Combine(dir, "pg", "report", "tables", table!));
            if (table is "figure1.csv" or "runs.csv" or "measures-runs.csv") Assert.True(a.Count > 9, $"{table} lacks runs");
            Assert.Equal(a.Select(r => string.Join(",", r)), b.Select(r => string.Join(",", r)));
        }
    }

    [Fact]
    public void Reproduce_figure1_with_a_postgresql_db_keeps_its_runs_there_and_reports_the_measures()
    {
        var pg = server.NewDatabase();
        var outDir = Path.Combine(dir, "reproduce");
        var result = CliRunner.Run("reproduce", "figure1", "--scale", "dry-run", "--db", pg.Display, "--out", outDir, "--threads", "1");
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("figure1 (dry-run): 9 of 9 runs done, 0 failed, 0 retried.", result.Output);
        Assert.Contains("Traditional complexity measures:", result.Output);   // measured through the PostgreSQL store, found by the report
        Assert.False(File.Exists(Path.Combine(outDir, "shatter.db")));             // no SQLite file beside: the runs are in PostgreSQL
        var html = File.ReadAllText(Path.Combine(outDir, "report-figure1-dry-run", "index.html"));
        Assert.Contains("<h2>Traditional complexity measures</h2>", html);
        Assert.Contains("rademacher.csv", html);                                // saved under --out, read back by the report
        using var store = Stores.OpenExisting(pg);
        var runs = store.Runs("figure1", "dry-run");
        Assert.Equal(9, runs.Count);
        Assert.All(runs, r => Assert.True(Directory.Exists(Path.Combine(outDir, "runs", r.Hash)), r.Hash));   // run folders under --out
        Assert.Equal(runs.Select(r => r.Hash).Order(), store.Measures().Keys.Order());
    }
}
