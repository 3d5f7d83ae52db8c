using Microsoft.Data.Sqlite;
using Shatter.Experiments;
using Shatter.Reporting;
using Shatter.Reporting.Analysis;
using Shatter.Results;
using Shatter.Tests.Experiments;

namespace Shatter.Tests.Reporting.Analysis;

public sealed class AttemptsTableTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "shatter-attempts-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Scratch.Delete(dir);
    }

    static RunRecord Run(string hash, string seed) =>
        new(hash, "demo", "s", 0, new Dictionary<string, string> { ["seed"] = seed }, "{}", RunStatus.Done, "w", null, null, 1, null, null, null, null);

    [Fact]
    public void Lists_every_attempt_of_the_runs_that_needed_more_than_one_or_did_not_finish_in_run_order()
    {
        RunRecord[] runs = [Run("b", "1"), Run("a", "2"), Run("c", "3")];
        RunAttempt[] attempts =
        [
            new("a", 2, "w", "t3", "t4", AttemptOutcome.Done, null),
            new("a", 1, "w", "t1", "t2", AttemptOutcome.Failed, "ExternalException: Unknown scalar type"),
            new("b", 1, "w", "t1", "t2", AttemptOutcome.Done, null),          // first time: left out
            new("c", 1, "w", "t5", "t6", AttemptOutcome.Failed, "no data"),  // failed once, not retried: listed
        ];
        var table = AttemptsTable.Of(runs, attempts);
        Assert.Equal(["a", "a", "c"], table.Rows.Select(r => r[0]));
        Assert.Equal(["1", "2", "1"], table.Rows.Select(r => r[2]));
        Assert.Equal(["seed=2", "seed=2", "seed=3"], table.Rows.Select(r => r[1]));
        Assert.Equal("ExternalException: Unknown scalar type", table.Rows[0][7]);
        Assert.Equal(AttemptOutcome.Done, table.Rows[1][6]);
    }

    [Fact]
    public void The_report_shows_a_retried_runs_attempts_and_writes_them_as_csv()
    {
        var spec = SpecParser.Parse("""
            name: demo
            scales: { s: { train_size: 20, epochs: 30, until_fit: true } }
            grid:
              model: [mlp-1x512]
              seed: [1, 2]
            """, "demo.yaml");
        int calls = 0;
        var fake = new FakeExecutor { FailWhen = c => c.Seed == 2 && calls++ == 0 };
        using var store = SqliteStore.Open(Path.Combine(dir, "shatter.db"));
        new Sweep(store, fake, new SweepOptions { ResultsDir = dir }).Run(spec, "s", null, CancellationToken.None);
        var outcome = ReportBuilder.Build(store, Path.Combine(dir, "report"));

        var csv = File.ReadAllLines(Path.Combine(dir, "report", "tables", "attempts.csv"));
        Assert.Equal(3, csv.Length);   // header, then the seed-2 run's failed and done attempts
        Assert.Contains("synthetic failure", csv[1]);
        Assert.Contains(",done,", csv[2]);
        var html = File.ReadAllText(outcome.HtmlPath);
        Assert.Contains("<h2>Attempts</h2>", html);
        Assert.Contains("InvalidOperationException: synthetic failure", html);
    }
}
