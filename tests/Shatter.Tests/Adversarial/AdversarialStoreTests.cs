using Shatter.Adversarial;
using Shatter.Results;
using Shatter.Tests.Data;

namespace Shatter.Tests.Adversarial;

/// <summary>The attacks and memorization tables beside the runs, on a real SQLite results database.</summary>
public sealed class AdversarialStoreTests
{
    [Fact]
    public void Attack_and_memorization_points_round_trip_and_a_second_save_replaces_the_first()
    {
        using var folder = new TempFolder();
        var db = folder["shatter.db"];
        ResultsStore.Open(db).Dispose();
        Assert.Empty(AdversarialStore.Attacks(db)); // no table yet: nothing, and reading creates none
        var report = new AttackReport { Method = AttackMethod.Pgd, Steps = 10, Points = [new("test", 0, "0", 0.9, 100), new("test", 4 / 255.0, "4/255", 0.4, 100)] };
        var file = new MemorizationFile { Radius = 0.01, Points = [new(1, "clean", 80, 0.1, 2.5, 0.3), new(1, "corrupted", 0, double.NaN, double.NaN, 0.3)] };
        using (var store = AdversarialStore.Open(db))
        {
            store.SaveAttack("00aa", report with { Points = [new("test", 0, "0", 0.5, 100)] });
            store.SaveAttack("00aa", report);
            store.SaveAttack("00aa", report with { Method = AttackMethod.Fgsm, Steps = 1 });
            store.SaveMemorization("00aa", file);
        }
        var attacks = AdversarialStore.Attacks(db);
        Assert.Equal(4, attacks.Count);
        var pgd = attacks.Where(a => a.Method == "pgd").ToList();
        Assert.Equal([0.9, 0.4], pgd.Select(a => a.Accuracy));
        Assert.Equal("4/255", pgd[1].EpsilonText);
        var memorization = AdversarialStore.Memorization(db);
        Assert.Equal(2, memorization.Count);
        Assert.Equal(2.5, memorization.Single(m => m.Point.Group == "clean").Point.LossSensitivity);
        Assert.True(double.IsNaN(memorization.Single(m => m.Point.Group == "corrupted").Point.CriticalSampleRatio));
    }

    [Fact]
    public void An_attacked_run_is_stored_in_the_database_beside_its_runs_folder_or_in_the_one_named()
    {
        using var folder = new TempFolder();
        var runDir = folder["results/runs/0123456789abcdef"];
        Directory.CreateDirectory(runDir);
        Assert.Null(AttackRun.DatabaseFor(runDir, null)); // no shatter.db beside runs/: stored nowhere
        ResultsStore.Open(folder["results/shatter.db"]).Dispose();
        Assert.Equal((Path.GetFullPath(folder["results/shatter.db"]), "0123456789abcdef"), AttackRun.DatabaseFor(runDir + "/", null));
        Assert.Null(AttackRun.DatabaseFor(folder["out"], null));
        var missing = Assert.Throws<ShatterException>(() => AttackRun.DatabaseFor(runDir, folder["none.db"]));
        Assert.Contains("no results database", missing.Message);
        var unnamed = Assert.Throws<ShatterException>(() => AttackRun.DatabaseFor(folder["out"], folder["results/shatter.db"]));
        Assert.Contains("not named by one", unnamed.Message);
    }
}
