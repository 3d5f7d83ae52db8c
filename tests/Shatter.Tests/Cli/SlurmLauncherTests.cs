using Shatter.Results;
using Shatter.Tests.Results;

namespace Shatter.Tests.Cli;

/// <summary>
/// <c>shatter sweep --launcher slurm</c> end to end: the real sbatch script, submitted to a stand-in sbatch on PATH
/// (Cli/fake-sbatch/sbatch) that runs the array's tasks here, each a real <c>shatter worker</c> process on the real
/// throwaway PostgreSQL. (The same script on a real single-node Slurm: docs/scale-out.md.)
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SlurmLauncherTests(PostgresServer server) : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "shatter-slurm-" + Guid.NewGuid().ToString("N"));
    string SpecPath => Path.Combine(dir, "array.yaml");

    public void Dispose()
    {
        Scratch.Delete(dir);
    }

    const string Spec = """
        name: array
        scales:
          s: { train_size: 200, test_size: 100, epochs: 2, batch_size: 50, threads: 1 }
        grid:
          model: [mlp-1x512]
          label_noise: [0, 1]
          seed: [1, 2]
        """;

    /// <summary>A folder holding only the stand-in sbatch (executable), to put first on PATH.</summary>
    string FakeSbatchFolder()
    {
        var bin = Path.Combine(dir, "bin");
        Directory.CreateDirectory(bin);
        var target = Path.Combine(bin, "sbatch");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Cli", "fake-sbatch", "sbatch"), target);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(target, (UnixFileMode)0x1ED); // 0755
        return bin;
    }

    [Fact]
    public void A_slurm_job_array_of_workers_runs_every_run_of_the_sweep_once()
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(SpecPath, Spec);
        var address = server.NewDatabase();
        var path = FakeSbatchFolder() + ":" + Environment.GetEnvironmentVariable("PATH");
        var runsDir = Path.Combine(dir, "shared", "runs");
        using var launch = ShatterProcess.Start(new Dictionary<string, string> { ["PATH"] = path },
            "sweep", SpecPath, "--scale", "s", "--db", address.Display, "--launcher", "slurm", "--workers", "3", "--runs-dir", runsDir, "--time", "0:10:00");
        Assert.True(launch.Wait(TimeSpan.FromMinutes(5)) == 0, launch.Output);
        Assert.Matches(@"submitted Slurm job \d+: 3 array tasks, each 'shatter worker'", launch.Output);

        var script = File.ReadAllText(Path.Combine(dir, "shared", "slurm", "shatter-array-s.sbatch"));
        Assert.Contains("#SBATCH --array=0-2", script);
        Assert.Contains("#SBATCH --time=0:10:00", script);
        Assert.Contains($"worker --db {address.Display} --spec array --scale s --runs-dir {runsDir}", script);

        var outputs = Directory.GetFiles(Path.Combine(dir, "shared", "slurm"), "shatter-array-s-*_*.out");
        Assert.Equal(3, outputs.Length);   // one per array task, named by job and task id
        Assert.All(outputs, o => Assert.Contains("the queue of array has 4 of 4 runs done, 0 failed.", File.ReadAllText(o)));

        using var store = Stores.OpenExisting(address);
        var runs = store.Runs("array", "s");
        Assert.Equal(4, runs.Count);
        Assert.All(runs, r => Assert.Equal((RunStatus.Done, 1), (r.Status, r.Attempts)));
        Assert.All(runs, r => Assert.True(File.Exists(Path.Combine(runsDir, r.Hash, "summary.json"))));
        Assert.Equal(4, outputs.Sum(o => File.ReadAllLines(o).Count(l => l.Contains("] done "))));   // each run done by exactly one task
    }

    [Fact]
    public void Dry_prints_the_script_and_leaves_the_database_alone()
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(SpecPath, Spec);
        var address = server.NewDatabase();
        var result = CliRunner.Run("sweep", SpecPath, "--scale", "s", "--db", address.Display, "--launcher", "slurm", "--workers", "16",
            "--partition", "gpu", "--gres", "gpu:1", "--time", "24:00:00", "--device", "cuda", "--dry");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.StartsWith("#!/bin/bash\n#SBATCH --job-name=shatter-array-s\n#SBATCH --array=0-15\n", result.Output.Replace("\r", ""));
        foreach (var line in new[] { "#SBATCH --partition=gpu", "#SBATCH --gres=gpu:1", "#SBATCH --time=24:00:00", "--device cuda", $"--db {address.Display}" })
            Assert.Contains(line, result.Output);
        Assert.Throws<ShatterException>(() => Stores.OpenExisting(address));   // no schema, no runs
    }

    [Fact]
    public void Bad_launcher_input_is_one_sentence()
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(SpecPath, Spec);
        var sqlite = CliRunner.Run("sweep", SpecPath, "--scale", "s", "--db", Path.Combine(dir, "x.db"), "--launcher", "slurm");
        Assert.Equal(2, sqlite.ExitCode);
        Assert.StartsWith("error: --launcher slurm needs a database every node reaches: give --db postgresql://", sqlite.Error);

        var address = server.NewDatabase();
        using var noSbatch = ShatterProcess.Start(new Dictionary<string, string> { ["PATH"] = Path.Combine(dir, "empty") },
            "sweep", SpecPath, "--scale", "s", "--db", address.Display, "--launcher", "slurm");
        Assert.Equal(2, noSbatch.Wait(TimeSpan.FromMinutes(2)));
        Assert.Contains("error: sbatch is not on PATH; run this on a Slurm login node, or add --dry to print the script.", noSbatch.Output);
        Assert.Throws<ShatterException>(() => Stores.OpenExisting(address));   // checked before anything was enqueued

        var unknown = CliRunner.Run("sweep", SpecPath, "--scale", "s", "--db", address.Display, "--launcher", "pbs");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("unknown launcher 'pbs'; use slurm", unknown.Error);
    }
}
