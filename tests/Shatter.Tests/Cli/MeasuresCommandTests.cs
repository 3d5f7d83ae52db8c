using Shatter.Experiments;
using Shatter.Results;
using Shatter.Tests.Data;
using Shatter.Tests.Experiments;

namespace Shatter.Tests.Cli;

public sealed class MeasuresCommandTests
{
    [Fact]
    public void Measures_of_a_database_skip_runs_without_saved_weights_with_a_note()
    {
        using var folder = new TempFolder();
        var db = folder["shatter.db"];
        using (var store = SqliteStore.Open(db))
            new Sweep(store, new FakeExecutor(), new SweepOptions { ResultsDir = folder.Path })
                .Run(SpecParser.Parse("name: s\nscales: { q: { train_size: 40, epochs: 2 } }\ngrid:\n  seed: [1, 2]\n", "s.yaml"), "q", null, CancellationToken.None);
        var r = CliRunner.Run("measures", "--db", db, "--spec", "s");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("skipping 2 runs without saved weights", r.Output);
        Assert.True(File.Exists(folder["measures-s.csv"]));
    }

    [Fact]
    public void Measures_of_a_spec_the_database_lacks_fail_in_one_sentence()
    {
        using var folder = new TempFolder();
        using (SqliteStore.Open(folder["shatter.db"])) { }
        var r = CliRunner.Run("measures", "--db", folder["shatter.db"], "--spec", "nope");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no runs of spec 'nope'", r.Error);
    }
}
