namespace Shatter.Tests.Cli;

public sealed class DataCommandTests
{
    [Fact]
    public void Unknown_dataset_is_one_sentence_and_a_nonzero_exit()
    {
        var r = CliRunner.Run("data", "info", "imagenet");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: unknown dataset 'imagenet'", r.Error);
        Assert.Single(r.Error.Trim().Split('\n'));
    }

    [Fact]
    public void Unknown_option_is_rejected()
    {
        var r = CliRunner.Run("data", "info", "--no-such-option");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("no-such-option", r.Error);
    }
}
