using Shatter.Cli.Commands;

namespace Shatter.Tests.Cli;

public sealed class BenchTrainCommandTests
{
    [Fact]
    public void The_pytorch_reference_ships_beside_the_executable_and_is_the_checkout_s_script()
    {
        var found = BenchTrainCommand.FindReference();
        Assert.NotNull(found);
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "bench", "pytorch_train.py"), found);
        // the copy in the build output is the project's own bench/pytorch_train.py, not a file from outside the repository
        Assert.Equal(File.ReadAllText(Checkout.File("bench", "pytorch_train.py")), File.ReadAllText(found));
        Assert.Contains("def derive(seed, purpose)", File.ReadAllText(found));
    }

    /// <summary>A user error: exit code 2, nothing on standard output, one line "error: … ." (no stack trace).</summary>
    static string OneSentence(CliRunner.Result r)
    {
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Output);
        var line = r.Error.TrimEnd('\n', '\r');
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("error: ", line);
        Assert.EndsWith(".", line);
        Assert.Single(line.Split(". "));   // one sentence
        return line;
    }

    [Fact]
    public void Unknown_job_is_a_one_sentence_error_naming_the_jobs()
    {
        var line = OneSentence(CliRunner.Run("bench", "train", "--jobs", "mlp,resnet"));
        Assert.Equal("error: --jobs 'mlp,resnet' names no job 'resnet'; use mlp, alexnet, inception (comma-separated) or all.", line);
    }

    [Fact]
    public void Missing_anchor_file_is_a_one_sentence_error()
    {
        var line = OneSentence(CliRunner.Run("bench", "train", "--jobs", "all", "--anchor", "/nonexistent/pytorch_train.py"));
        Assert.StartsWith("error: --anchor /nonexistent/pytorch_train.py does not exist; give the path of a PyTorch reference script", line);
    }
}
