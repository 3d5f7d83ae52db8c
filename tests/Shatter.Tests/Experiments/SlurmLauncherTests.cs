using Shatter.Experiments;
using Shatter.Results;

namespace Shatter.Tests.Experiments;

/// <summary>The Slurm launcher as a library: the script it makes, what it refuses, and sbatch's output it reads (end to end: Cli/SlurmLauncherTests).</summary>
public sealed class SlurmLauncherTests
{
    static SlurmLauncher Launcher(string db, string? runsDir = "/shared/runs") => new()
    {
        Spec = BuiltInSpecs.Resolve("figure1"), Scale = "dry-run", Database = DatabaseAddress.Parse(db), Shatter = ["/shared/shatter"],
        RunsDir = runsDir, Device = "cuda", Threads = 2, DataDir = "/shared/data", Retries = 1, Time = "1:00:00",
    };

    [Fact]
    public void The_script_gives_every_worker_the_queue_the_spec_and_the_execution_options()
    {
        var script = Launcher("postgresql://u@h:5432/db").Script();
        Assert.Equal(9, script.Workers);   // one task per run (figure1 dry-run: 9), at most 16
        Assert.Equal("shatter-figure1-dry-run", script.JobName);
        Assert.Equal(["--db", "postgresql://u@h:5432/db", "--spec", "figure1", "--scale", "dry-run", "--runs-dir", "/shared/runs", "--retries", "1",
            "--device", "cuda", "--data-dir", "/shared/data", "--threads", "2"], script.WorkerOptions);
        Assert.Equal("/shared/slurm/%x-%A_%a.out", script.OutputPattern);
        // figure1 at paper scale has 27 runs: 16 tasks share them
        Assert.Equal(16, new SlurmLauncher
        {
            Spec = BuiltInSpecs.Resolve("figure1"), Scale = "paper", Database = DatabaseAddress.Parse("postgresql://u@h:5432/db"), Shatter = ["shatter"],
        }.Script().Workers);
    }

    [Fact]
    public void A_sqlite_queue_is_refused_before_anything_is_written()
    {
        using var dir = new Shatter.Tests.Data.TempFolder();
        var launcher = Launcher(dir["shatter.db"], runsDir: null);
        var e = Assert.Throws<ShatterException>(() => launcher.Launch());
        Assert.StartsWith("--launcher slurm needs a database every node reaches", e.Message);
        Assert.False(File.Exists(dir["shatter.db"]));
        Assert.False(Directory.Exists(dir["slurm"]));
    }

    [Theory]
    [InlineData("123\n", "123")]
    [InlineData("4567;cluster-a\n", "4567")]
    [InlineData("sbatch: warning: something\n89\n", "89")]
    public void The_job_id_is_the_first_field_of_sbatch_parsable_last_line(string output, string id) =>
        Assert.Equal(id, SlurmLauncher.JobId(output));

    [Fact]
    public void Output_without_a_job_id_is_one_sentence()
    {
        var e = Assert.Throws<ShatterException>(() => SlurmLauncher.JobId("Submitted batch job\n"));
        Assert.Equal("sbatch printed no job id ('Submitted batch job'); check the job with squeue.", e.Message);
    }
}
