using Shatter.Tests.Cli;

namespace Shatter.Tests.Reporting;

/// <summary>Reports named after an experiment, through the CLI with the real trainer at dry-run scale.</summary>
public sealed class ExperimentReportTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "shatter-exp-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Scratch.Delete(dir);
    }

    [Fact]
    public void Reproduce_prints_its_own_findings_and_its_report_shows_it_first()
    {
        var figure2 = CliRunner.Run("reproduce", "figure2", "--scale", "dry-run", "--out", dir, "--threads", "1");
        Assert.True(figure2.ExitCode == 0, figure2.Output + figure2.Error);
        Assert.Contains("early stopping would have gained", figure2.Output);

        // the same database now holds figure2; table1's reproduction prints table1's findings only
        var table1 = CliRunner.Run("reproduce", "table1", "--scale", "dry-run", "--out", dir, "--threads", "1");
        Assert.True(table1.ExitCode == 0, table1.Output + table1.Error);
        Assert.Contains("mlp-1x512: without any regularizer it did not fit within the cap of 2 epochs", table1.Output);
        Assert.DoesNotContain("early stopping", table1.Output);

        var html = File.ReadAllText(Path.Combine(dir, "report-table1-dry-run", "index.html"));
        Assert.Contains("<title>Table 1: regularization and random labels (dry-run) — Understanding deep learning requires rethinking generalization, reproduction</title>", html);
        int table1At = html.IndexOf("<h2>Table 1:", StringComparison.Ordinal), otherAt = html.IndexOf("<h2 id=\"other-results\">Other results in this database</h2>", StringComparison.Ordinal);
        int figure2At = html.IndexOf("<h2>Figure 2b:", StringComparison.Ordinal);
        Assert.True(table1At > 0 && table1At < otherAt && otherAt < figure2At, $"table1 at {table1At}, other results at {otherAt}, figure2 at {figure2At}");
        Assert.Contains("(common random numbers:", html);

        // shatter report prints every section's findings under its title
        var all = CliRunner.Run("report", "--db", Path.Combine(dir, "shatter.db"), "--out", Path.Combine(dir, "all"));
        Assert.Equal(0, all.ExitCode);
        var text = all.Output.Replace("\r", "");
        Assert.Contains("Table 1: explicit regularization, augmentation and random labels:\n  ", text);
        Assert.Contains("Figure 2b: batch normalization and early stopping:\n  ", text);
    }

    [Fact]
    public void A_report_of_an_experiment_the_database_lacks_is_one_sentence()
    {
        var figure2 = CliRunner.Run("reproduce", "figure2", "--scale", "dry-run", "--out", dir, "--threads", "1");
        Assert.Equal(0, figure2.ExitCode);
        var result = CliRunner.Run("report", "--db", Path.Combine(dir, "shatter.db"), "--out", Path.Combine(dir, "r"), "--experiment", "width");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: the results database holds no runs of 'width' at scale 'dry-run'; use one of figure2 or leave out the experiment.", result.Error.Trim());
    }
}
