using Shatter.Results;
using Shatter.Tests.Cli;

namespace Shatter.Tests.Experiments;

/// <summary>A grid past 10,000 runs is stated and refused without --yes; with it, its runs are registered in batches, with progress.</summary>
public sealed class LargeGridTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "shatter-large-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Scratch.Delete(dir);
    }

    [Fact]
    public void A_grid_of_more_than_10000_runs_needs_yes_and_is_then_registered_in_batches_with_progress()
    {
        Directory.CreateDirectory(dir);
        var spec = Path.Combine(dir, "large.yaml");
        File.WriteAllText(spec, $$"""
            name: large
            scales: { s: { train_size: 20, epochs: 1 } }
            grid:
              seed: [{{string.Join(", ", Enumerable.Range(1, 101))}}]
              weight_decay: [{{string.Join(", ", Enumerable.Range(1, 100).Select(i => $"{i}e-6"))}}]
            """);
        var db = Path.Combine(dir, "shatter.db");
        foreach (var enqueue in new[] { true, false })
        {
            var refused = enqueue
                ? CliRunner.Run("sweep", spec, "--scale", "s", "--db", db, "--enqueue")
                : CliRunner.Run("sweep", spec, "--scale", "s", "--db", db);
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("spec 'large' at scale 's' has 10,100 runs (seed 101 × weight_decay 100), more than 10,000; pass --yes to register and run them all, or narrow the grid.", refused.Error);
            Assert.False(File.Exists(db));   // nothing registered, no database made
        }
        var accepted = CliRunner.Run("sweep", spec, "--scale", "s", "--db", db, "--enqueue", "--yes");
        Assert.True(accepted.ExitCode == 0, accepted.Error);
        Assert.Contains("registered 10,000 of 10,100 runs", accepted.Output);
        Assert.Contains("registered 10,100 of 10,100 runs", accepted.Output);
        using var store = SqliteStore.OpenExisting(db);
        Assert.Equal(10_100, store.Runs("large", "s").Count);
    }
}
