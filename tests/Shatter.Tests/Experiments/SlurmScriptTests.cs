using Shatter.Experiments;

namespace Shatter.Tests.Experiments;

public sealed class SlurmScriptTests
{
    [Fact]
    public void The_script_is_one_job_array_whose_tasks_exec_shatter_worker_with_words_quoted_for_bash()
    {
        var script = new SlurmScript
        {
            JobName = "shatter-figure1-paper", Workers = 27, Shatter = ["/shared/my tools/shatter"],
            WorkerOptions = ["--db", "postgresql://u@h:5432/db", "--runs-dir", "/shared/it's/runs"], OutputPattern = "/shared/slurm/%x-%A_%a.out",
            Gres = "gpu:1",
        }.Text();
        var lines = script.Split('\n');
        Assert.Equal("#!/bin/bash", lines[0]);
        Assert.Contains("#SBATCH --array=0-26", lines);
        Assert.Contains("#SBATCH --gres=gpu:1", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("#SBATCH --partition", StringComparison.Ordinal) || l.StartsWith("#SBATCH --time", StringComparison.Ordinal));
        Assert.Equal("exec '/shared/my tools/shatter' worker --db postgresql://u@h:5432/db --runs-dir '/shared/it'\\''s/runs'", lines.Single(l => l.StartsWith("exec ", StringComparison.Ordinal)));
    }
}
