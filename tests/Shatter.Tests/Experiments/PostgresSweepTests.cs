using Shatter.Tests.Cli;
using Shatter.Tests.Results;

namespace Shatter.Tests.Experiments;

/// <summary>
/// The figure1 dry-run sweep into SQLite and into PostgreSQL (the real trainer, the CLI, the report): the report's
/// tables agree cell for cell, except the columns that hold wall times, dates and worker names, which differ between
/// any two sweeps.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSweepTests(PostgresServer server) : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "shatter-pgsweep-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
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
        foreach (var db in new[] { sqlite, pg.Display })
        {
            var sweep = CliRunner.Run("sweep", "figure1", "--scale", "dry-run", "--db", db, "--runs-dir", Path.Combine(dir, db == sqlite ? "sqlite" : "pg", "runs"), "--threads", "1");
            Assert.True(sweep.ExitCode == 0, sweep.Output + sweep.Error);
            Assert.Contains("9 of 9 runs done", sweep.Output);
            var report = CliRunner.Run("report", "--db", db, "--out", Path.Combine(dir, db == sqlite ? "sqlite" : "pg", "report"));
            Assert.True(report.ExitCode == 0, report.Output + report.Error);
        }
        var tables = Directory.GetFiles(Path.Combine(dir, "sqlite", "report", "tables"), "*.csv").Select(Path.GetFileName).Order().ToList();
        Assert.Contains("figure1.csv", tables);
        Assert.Contains("runs.csv", tables);
        Assert.Equal(tables, Directory.GetFiles(Path.Combine(dir, "pg", "report", "tables"), "*.csv").Select(Path.GetFileName).Order());
        foreach (var table in tables)
        {
            var a = Table(Path.Combine(dir, "sqlite", "report", "tables", table!));
            var b = Table(Path.Combine(dir, "pg", "report", "tables", table!));
            if (table is "figure1.csv" or "runs.csv") Assert.True(a.Count > 9, $"{table} lacks runs");
            Assert.Equal(a.Select(r => string.Join(",", r)), b.Select(r => string.Join(",", r)));
        }
    }
}
