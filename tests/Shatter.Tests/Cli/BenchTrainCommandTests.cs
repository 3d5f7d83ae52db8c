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
        var checkout = new DirectoryInfo(AppContext.BaseDirectory);
        while (checkout is not null && !File.Exists(Path.Combine(checkout.FullName, "Shatter.sln"))) checkout = checkout.Parent;
        Assert.NotNull(checkout);
        Assert.Equal(File.ReadAllText(Path.Combine(checkout.FullName, "bench", "pytorch_train.py")), File.ReadAllText(found));
        Assert.Contains("def derive(seed, purpose)", File.ReadAllText(found));
    }

    [Fact]
    public void Unknown_job_is_a_one_sentence_error_naming_the_jobs()
    {
        var r = CliRunner.Run("bench", "train", "--jobs", "mlp,resnet");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("no job 'resnet'", r.Output + r.Error);
        Assert.Contains("inception", r.Output + r.Error);
    }

    [Fact]
    public void Missing_anchor_file_is_a_one_sentence_error()
    {
        var r = CliRunner.Run("bench", "train", "--jobs", "all", "--anchor", "/nonexistent/pytorch_train.py");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("--anchor /nonexistent/pytorch_train.py does not exist", r.Output + r.Error);
    }
}
