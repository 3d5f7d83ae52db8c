using System.Text.Json;
using Shatter.Adversarial;
using Shatter.Results;
using Shatter.Tests.Cli;
using Shatter.Tests.Data;
using Shatter.Training;

namespace Shatter.Tests.Adversarial;

/// <summary><c>shatter attack</c> on a small real run: clean accuracy at ε = 0, monotone PGD, bad options.</summary>
public sealed class AttackRunTests : IClassFixture<AttackRunTests.TrainedRun>
{
    /// <summary>One small MLP trained once for the class: 300 training and 200 test images, 4 epochs.</summary>
    public sealed class TrainedRun : IDisposable
    {
        public TempFolder Folder { get; } = new();
        public string Dir => Folder["run"];
        public TrainSummary Summary { get; }

        public TrainedRun()
        {
            RealData.RequireFashionMnist();
            Summary = Trainer.Run(new TrainConfig { TrainSize = 300, TestSize = 200, Epochs = 4, BatchSize = 50, Threads = 1 }, Dir);
        }

        public void Dispose() => Folder.Dispose();
    }

    readonly TrainedRun run;

    public AttackRunTests(TrainedRun run) => this.run = run;

    [Fact]
    public void Pgd_at_eps_zero_gives_the_clean_accuracy_and_accuracy_falls_as_eps_grows()
    {
        var eps = AttackRun.ParseEpsilons("0,1/255,4/255,16/255,0.1");
        var report = AttackRun.Run(run.Dir, AttackMethod.Pgd, eps, steps: 5, threads: 1);
        var test = report.Points.Where(p => p.Set == "test").ToList();
        var train = report.Points.Where(p => p.Set == "train").ToList();
        Assert.Equal(run.Summary.FinalTestAccuracy, test[0].Accuracy, 12);
        Assert.Equal(run.Summary.FinalTrainAccuracy, train[0].Accuracy, 12);
        Assert.Equal(200, test[0].Examples);
        Assert.Equal(300, train[0].Examples);
        foreach (var set in new[] { test, train })
            for (int i = 1; i < set.Count; i++)
                Assert.True(set[i].Accuracy <= set[i - 1].Accuracy, $"{set[i].Set}: accuracy rose from {set[i - 1].Accuracy} at ε={set[i - 1].EpsilonText} to {set[i].Accuracy} at ε={set[i].EpsilonText}");
        Assert.True(test[^1].Accuracy < test[0].Accuracy - 0.2, $"ε = 0.1 barely hurt: {test[0].Accuracy} → {test[^1].Accuracy}");
        Assert.True(report.Whitened);

        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Dir, "attack-pgd.json")));
        Assert.Equal(10, doc.RootElement.GetProperty("points").GetArrayLength());
        var csv = File.ReadAllLines(Path.Combine(run.Dir, "attack-pgd.csv"));
        Assert.Equal("method,steps,set,epsilon,epsilon_text,accuracy,examples", csv[0]);
        Assert.Equal(11, csv.Length);
    }

    [Fact]
    public void Pgd_breaks_at_least_as_many_examples_as_fgsm_at_the_same_eps()
    {
        var eps = AttackRun.ParseEpsilons("4/255");
        var fgsm = AttackRun.Run(run.Dir, AttackMethod.Fgsm, eps, steps: 1, maxExamples: 100, threads: 1);
        var pgd = AttackRun.Run(run.Dir, AttackMethod.Pgd, eps, steps: 10, maxExamples: 100, threads: 1);
        // PGD's first step from x is FGSM's step scaled by 2.5/10, then nine more; on a near-linear MLP it finds more
        Assert.True(pgd.Points[0].Accuracy <= fgsm.Points[0].Accuracy + 0.03, $"PGD {pgd.Points[0].Accuracy} vs FGSM {fgsm.Points[0].Accuracy}");
        Assert.True(File.Exists(Path.Combine(run.Dir, "attack-fgsm.csv")));
    }

    [Theory]
    [InlineData("1/0", "not a number or fraction")]
    [InlineData("a", "not a number or fraction")]
    [InlineData("0,1.5", "outside [0, 1]")]
    [InlineData("-1/255", "outside [0, 1]")]
    [InlineData(",", "lists no ε")]
    public void Bad_eps_lists_are_one_sentence_errors(string text, string expected)
    {
        var e = Assert.Throws<ShatterException>(() => AttackRun.ParseEpsilons(text));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void The_cli_rejects_an_unfinished_run_a_bad_method_and_bad_steps_with_exit_code_2()
    {
        using var empty = new TempFolder();
        var unfinished = CliRunner.Run("attack", empty.Path);
        Assert.Equal(2, unfinished.ExitCode);
        Assert.Contains("no finished run", unfinished.Error);
        var method = CliRunner.Run("attack", run.Dir, "--method", "cw");
        Assert.Equal(2, method.ExitCode);
        Assert.Contains("use fgsm or pgd", method.Error);
        File.WriteAllText(Path.Combine(empty.Path, "summary.json"), "{}");
        var noCheckpoint = CliRunner.Run("attack", empty.Path);
        Assert.Equal(2, noCheckpoint.ExitCode);
        Assert.Contains("holds no model checkpoint", noCheckpoint.Error);
        var steps = CliRunner.Run("attack", run.Dir, "--steps", "0");
        Assert.Equal(2, steps.ExitCode);
        Assert.Contains("--steps must be a positive", steps.Error);
    }

    [Fact]
    public void An_attacked_run_is_stored_in_the_database_beside_its_runs_folder_or_in_the_one_named()
    {
        using var folder = new TempFolder();
        var runDir = folder["results/runs/0123456789abcdef"];
        Directory.CreateDirectory(runDir);
        Assert.Null(AttackRun.DatabaseFor(runDir, null)); // no shatter.db beside runs/: stored nowhere
        SqliteStore.Open(folder["results/shatter.db"]).Dispose();
        Assert.Equal((Path.GetFullPath(folder["results/shatter.db"]), "0123456789abcdef"), AttackRun.DatabaseFor(runDir + "/", null) is var (a, h) ? (a.Display, h) : default);
        var url = AttackRun.DatabaseFor(runDir, "postgresql://u@127.0.0.1:5432/sweeps")!.Value;   // a server: checked when it is opened
        Assert.Equal((true, "postgresql://u@127.0.0.1:5432/sweeps", "0123456789abcdef"), (url.Address.IsPostgres, url.Address.Display, url.Hash));
        Assert.Null(AttackRun.DatabaseFor(folder["out"], null));
        var missing = Assert.Throws<ShatterException>(() => AttackRun.DatabaseFor(runDir, folder["none.db"]));
        Assert.Contains("no results database", missing.Message);
        var unnamed = Assert.Throws<ShatterException>(() => AttackRun.DatabaseFor(folder["out"], folder["results/shatter.db"]));
        Assert.Contains("not named by one", unnamed.Message);
    }
}
