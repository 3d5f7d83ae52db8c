using Shatter.Results;
using Shatter.Tests.Cli;

namespace Shatter.Tests.Experiments;

/// <summary>Every paper spec at dry-run scale, end to end through the CLI with the real trainer: sweep, store, report.</summary>
public sealed class DryRunTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "shatter-dry-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Scratch.Delete(dir);
    }

    [Theory]
    [InlineData("figure1", 9, "figures/figure1b.png")]
    [InlineData("table1", 6, "tables/table1.csv")]
    [InlineData("figure2", 1, "figures/figure2b.png")]
    [InlineData("noise", 11, "figures/noise-transition-pair-flip.png")]
    [InlineData("beyond", 8, "tables/runs.csv")]
    public void Reproduce_at_dry_run_scale_sweeps_and_reports(string experiment, int runs, string artifact)
    {
        var result = CliRunner.Run("reproduce", experiment, "--scale", "dry-run", "--out", dir, "--threads", "1");
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains($"{experiment} (dry-run): {runs} of {runs} runs done, 0 failed, 0 retried.", result.Output);
        Assert.Contains($"[{runs}/{runs}] done ", result.Output);  // the redirected progress: one line per run
        var report = Path.Combine(dir, $"report-{experiment}-dry-run");
        Assert.Contains("<h2>Runs</h2>", File.ReadAllText(Path.Combine(report, "index.html")));
        Assert.True(File.Exists(Path.Combine(report, artifact)), artifact);
        if (experiment == "figure1") // reproduce figure1 measures its runs; the report has the complexity section
        {
            var html = File.ReadAllText(Path.Combine(report, "index.html"));
            Assert.Contains("<h2>Traditional complexity measures</h2>", html);
            Assert.Contains("rademacher.csv", html);
            Assert.Contains("vc.csv", html);
            Assert.Contains("R̂ =", result.Output);
            Assert.Contains("Traditional complexity measures:", result.Output); // its findings are printed too
        }
        else Assert.DoesNotContain("Traditional complexity measures:", result.Output);
        if (experiment == "beyond") // a finding per model on random labels, not only "8 of 8 runs finished"
            Assert.Matches("[✓✗] mlp-1x512: (fitted|did not fit) random labels", result.Output);
        using var store = SqliteStore.OpenExisting(Path.Combine(dir, "shatter.db"));
        Assert.All(store.Runs(experiment, "dry-run"), r => Assert.NotEmpty(store.Epochs(r.Hash)));

        // rerunning does nothing new
        var again = CliRunner.Run("sweep", experiment, "--scale", "dry-run", "--db", Path.Combine(dir, "shatter.db"));
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("0 run by this process", again.Output);
    }

    [Fact]
    public void A_bad_spec_is_one_sentence_naming_the_file_and_line()
    {
        Directory.CreateDirectory(dir);
        var spec = Path.Combine(dir, "bad.yaml");
        File.WriteAllText(spec, "name: bad\nscales:\n  s:\n    epohcs: 3\n");
        var result = CliRunner.Run("sweep", spec, "--scale", "s", "--db", Path.Combine(dir, "x.db"));
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: {spec} line 4: unknown option 'epohcs'; did you mean 'epochs'?", result.Error.Trim());
    }

    [Fact]
    public void Report_without_a_database_says_to_run_a_sweep()
    {
        var result = CliRunner.Run("report", "--db", Path.Combine(dir, "none.db"), "--out", dir);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("run 'shatter sweep' first", result.Error);
    }
}
