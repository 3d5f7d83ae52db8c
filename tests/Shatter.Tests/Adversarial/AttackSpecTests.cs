using Shatter.Adversarial;
using Shatter.Experiments;
using Shatter.Results;
using Shatter.Tests.Cli;
using Shatter.Tests.Data;

namespace Shatter.Tests.Adversarial;

/// <summary><c>shatter attack --spec</c>: every finished run of a real (tiny) sweep attacked and stored; the option's errors.</summary>
public sealed class AttackSpecTests
{
    [Fact]
    public void Every_finished_run_of_a_spec_is_attacked_and_stored_and_bad_combinations_exit_with_2()
    {
        RealData.RequireFashionMnist();
        using var folder = new TempFolder();
        var spec = SpecParser.Parse("""
            name: tiny
            scales:
              s: { train_size: 100, test_size: 60, epochs: 1, batch_size: 50, threads: 1 }
            grid:
              label_noise: [0, 1.0]
            """, "tiny.yaml");
        using (var store = SqliteStore.Open(folder["shatter.db"]))
            new Sweep(store, new TrainerExecutor(), new SweepOptions { ResultsDir = folder.Path, PollInterval = TimeSpan.FromMilliseconds(10) })
                .Run(spec, "s", null, CancellationToken.None);

        var ok = CliRunner.Run("attack", "--spec", "tiny", "--results", folder.Path, "--method", "fgsm", "--eps", "0,8/255", "--max-examples", "40", "--threads", "1");
        Assert.True(ok.ExitCode == 0, ok.Error);
        Assert.Contains("2 runs of tiny attacked (FGSM)", ok.Output);
        IReadOnlyList<StoredAttack> points;
        using (var stored = SqliteStore.OpenExisting(folder["shatter.db"])) points = stored.Attacks();
        Assert.Equal(8, points.Count); // 2 runs × {test, train} × 2 ε
        Assert.All(points, p => Assert.Equal(40, p.Examples));
        Assert.Equal(AttackRun.RunsOf(folder.Path, "tiny", null).Select(r => r.Hash).Order(), points.Select(p => p.Hash).Distinct().Order());

        var neither = CliRunner.Run("attack");
        Assert.Equal(2, neither.ExitCode);
        Assert.Contains("give either a run folder or --spec", neither.Error);
        var both = CliRunner.Run("attack", folder.Path, "--spec", "tiny");
        Assert.Equal(2, both.ExitCode);
        var unknown = CliRunner.Run("attack", "--spec", "figure9", "--results", folder.Path);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("holds no runs of the spec 'figure9'", unknown.Error);
        var scale = CliRunner.Run("attack", "--spec", "tiny", "--scale", "paper", "--results", folder.Path);
        Assert.Equal(2, scale.ExitCode);
        Assert.Contains("not at scale 'paper'", scale.Error);
        var stray = CliRunner.Run("attack", folder.Path, "--scale", "s");
        Assert.Equal(2, stray.ExitCode);
        Assert.Contains("drop them", stray.Error);
        var noDb = CliRunner.Run("attack", "--spec", "tiny", "--results", folder["none"]);
        Assert.Equal(2, noDb.ExitCode);
        Assert.Contains("no results database", noDb.Error);
    }
}

/// <summary><c>shatter attack --db postgresql://…</c>: the points go to the server, like every other command's results.</summary>
[Collection(Shatter.Tests.Results.PostgresCollection.Name)]
public sealed class AttackPostgresTests(Shatter.Tests.Results.PostgresServer server)
{
    [Fact]
    public void Attack_takes_a_postgresql_db_for_a_spec_and_for_one_run_folder()
    {
        RealData.RequireFashionMnist();
        using var folder = new TempFolder();
        var address = server.NewDatabase();
        var spec = SpecParser.Parse("""
            name: tiny
            scales:
              s: { train_size: 100, test_size: 60, epochs: 1, batch_size: 50, threads: 1 }
            grid:
              label_noise: [0, 1.0]
            """, "tiny.yaml");
        using (var store = Stores.Open(address))
            new Sweep(store, new TrainerExecutor(), new SweepOptions { ResultsDir = folder.Path, PollInterval = TimeSpan.FromMilliseconds(10) })
                .Run(spec, "s", null, CancellationToken.None);

        var all = CliRunner.Run("attack", "--spec", "tiny", "--results", folder.Path, "--db", address.Display, "--method", "fgsm", "--eps", "0,8/255", "--max-examples", "20", "--threads", "1");
        Assert.True(all.ExitCode == 0, all.Error);
        Assert.Contains($"points in the table attacks of {address.Display}", all.Output);
        string hash;
        using (var stored = Stores.OpenExisting(address))
        {
            Assert.Equal(8, stored.Attacks().Count);   // 2 runs × {test, train} × 2 ε
            hash = stored.Runs("tiny", "s").First().Hash;
        }
        var one = CliRunner.Run("attack", Path.Combine(folder.Path, "runs", hash), "--db", address.Display, "--method", "pgd", "--steps", "2", "--eps", "8/255", "--max-examples", "20", "--threads", "1");
        Assert.True(one.ExitCode == 0, one.Error);
        using var again = Stores.OpenExisting(address);
        Assert.Equal(2, again.Attacks().Count(a => a.Method == "pgd" && a.Hash == hash));
        Assert.False(File.Exists(Path.Combine(folder.Path, "shatter.db")));   // nothing went to a SQLite file
    }
}
