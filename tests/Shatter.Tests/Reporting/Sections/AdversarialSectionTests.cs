using Shatter.Adversarial;
using Shatter.Reporting;
using Shatter.Reporting.Analysis;
using Shatter.Reporting.Sections;
using Shatter.Results;
using Shatter.Tests.Data;
using Shatter.Training;

namespace Shatter.Tests.Reporting.Sections;

/// <summary>The adversarial section: accuracy against ε per randomization and the memorization measures, from hand-made runs and points.</summary>
public sealed class AdversarialSectionTests
{
    static ReportRun Run(double p, long seed, string hash) =>
        ReportRun.Of("figure1", new Dictionary<string, string>(), new TrainConfig { LabelNoise = p, Seed = seed },
            new TrainSummary { StepsToFit = 10, Steps = 10, FinalTestAccuracy = 0.5, StopReason = "fit" }, hash: hash);

    static StoredAttack Attack(string hash, string set, double eps, double accuracy) =>
        new(hash, "pgd", 10, set, eps, eps == 0 ? "0" : "8/255", accuracy, 100);

    static readonly ReportRun[] Runs = [Run(0, 1, "a1"), Run(0, 2, "a2"), Run(0.5, 1, "b1"), Run(1, 1, "c1")];

    static readonly StoredAttack[] Attacks =
    [
        Attack("a1", "test", 0, 0.8), Attack("a1", "test", 8 / 255.0, 0.2),
        Attack("a2", "test", 0, 0.9), Attack("a2", "test", 8 / 255.0, 0.4),
        Attack("b1", "test", 0, 0.6), Attack("b1", "test", 8 / 255.0, 0.1),
        Attack("c1", "test", 0, 0.1), Attack("c1", "test", 8 / 255.0, 0.0),
        Attack("zz", "test", 0, 0.3), // a run not in the report: left out
    ];

    [Fact]
    public void Attack_curves_average_seeds_per_randomization_and_the_findings_give_what_survives_the_largest_eps()
    {
        var curves = AdversarialAnalysis.AttackCurves(Runs, Attacks);
        Assert.Equal(6, curves.Count);
        var trueAt8 = curves.Single(c => c.Randomization == "true labels" && c.Epsilon > 0);
        Assert.Equal(0.3, trueAt8.Accuracy.Mean, 12);
        Assert.Equal((0.2, 0.4, 2), (trueAt8.Accuracy.Min, trueAt8.Accuracy.Max, trueAt8.Accuracy.Count));
        Assert.Equal(["true labels", "true labels", "label noise 0.5", "label noise 0.5", "random labels", "random labels"], curves.Select(c => c.Randomization));
        var finding = Assert.Single(AdversarialAnalysis.AttackFindings(curves));
        Assert.Equal("PGD on mlp-1x512, test set, ε 0 → 8/255: true labels 85.0% → 30.0% (35% kept); label noise 0.5 60.0% → 10.0% (17% kept); random labels 10.0% → 0.0% (0% kept).",
            finding.Replace(" %", "%", StringComparison.Ordinal));
    }

    [Fact]
    public void Runs_are_grouped_by_their_grid_label_without_model_and_seed_so_noise_modes_stay_apart_in_grid_order()
    {
        var config = new TrainConfig { LabelNoise = 0.4, LabelNoiseMode = Shatter.Corruptions.LabelNoiseMode.PairFlip };
        var summary = new TrainSummary { StepsToFit = 1, Steps = 1, StopReason = "fit" };
        var pairFlip = ReportRun.Of("noise", new Dictionary<string, string> { ["model"] = "mlp-1x512", ["noise"] = "pair-flip 0.4", ["seed"] = "1" }, config, summary, order: 2, hash: "p1");
        var uniform = ReportRun.Of("noise", new Dictionary<string, string> { ["model"] = "mlp-1x512", ["noise"] = "uniform 0.4", ["seed"] = "1" }, config with { LabelNoiseMode = default }, summary, order: 1, hash: "u1");
        Assert.Equal("pair-flip 0.4", AdversarialAnalysis.Label(pairFlip));
        Assert.Equal("label noise 0.5", AdversarialAnalysis.Label(Runs[2])); // no grid point: derived from the configuration
        var curves = AdversarialAnalysis.MemorizationCurves([pairFlip, uniform], [("p1", new MemorizationPoint(1, "all", 10, 0.1, 1, 1)), ("u1", new MemorizationPoint(1, "all", 10, 0.3, 1, 1))]);
        Assert.Equal(["uniform 0.4", "pair-flip 0.4"], curves.Select(c => c.Randomization)); // in the spec's grid order
    }

    [Fact]
    public void Memorization_findings_say_whether_corrupted_examples_have_more_critical_samples_and_sensitivity_than_clean_ones()
    {
        (string, MemorizationPoint)[] points =
        [
            ("b1", new(1, "clean", 50, 0.10, 2.0, 1)), ("b1", new(1, "corrupted", 50, 0.05, 1.0, 1)),
            ("b1", new(5, "clean", 50, 0.10, 2.0, 1)), ("b1", new(5, "corrupted", 50, 0.30, 4.0, 1)),
            ("c1", new(5, "clean", 0, double.NaN, double.NaN, 1)), ("c1", new(5, "corrupted", 100, 0.5, 9.0, 1)),
        ];
        var curves = AdversarialAnalysis.MemorizationCurves(Runs, points);
        Assert.Equal(6, curves.Count);
        var finding = Assert.Single(AdversarialAnalysis.MemorizationFindings(curves)); // random labels have no clean examples to compare
        Assert.StartsWith("✓ mlp-1x512, label noise 0.5, epoch 5: critical sample ratio corrupted 0.3000 vs clean 0.1000, loss sensitivity 4 vs 2", finding);
        var early = AdversarialAnalysis.MemorizationFindings(curves.Where(c => c.Epoch == 1).ToList());
        Assert.StartsWith("✗", Assert.Single(early));
    }

    [Fact]
    public void The_section_reads_the_stored_points_and_writes_its_figures_tables_and_findings()
    {
        using var folder = new TempFolder();
        var db = folder["shatter.db"];
        using var store = SqliteStore.Open(db);
        var before = new ReportContext(db, "test", Runs, _ => null, attacks: store.Attacks, memorization: store.Memorization);
        Assert.False(new AdversarialSection().Applies(before)); // nothing stored yet
        foreach (var g in Attacks.GroupBy(a => a.Hash))
            store.SaveAttack(g.Key, new AttackReport { Method = AttackMethod.Pgd, Steps = 10, Points = [.. g.Select(a => new AttackPoint(a.Set, a.Epsilon, a.EpsilonText, a.Accuracy, a.Examples))] });
        store.SaveMemorization("b1", new MemorizationFile { Points = [new(1, "clean", 50, 0.1, 2, 1), new(1, "corrupted", 50, 0.3, 4, 1)] });
        var context = new ReportContext(db, "test", Runs, _ => null, attacks: store.Attacks, memorization: store.Memorization);
        Assert.Contains(ReportBuilder.Sections(context), s => s is AdversarialSection && s.Applies(context));
        var outcome = ReportBuilder.Build(context, folder["report"]);
        Assert.Contains("<h2>Beyond the paper: adversarial examples and memorization</h2>", File.ReadAllText(outcome.HtmlPath));
        foreach (var figure in new[] { "attack-pgd-mlp-1x512-test", "memorization-csr-mlp-1x512", "memorization-loss-sensitivity-mlp-1x512" })
            Assert.True(File.Exists(folder[$"report/figures/{figure}.png"]), figure);
        var attacks = File.ReadAllLines(folder["report/tables/attacks.csv"]);
        Assert.Equal(7, attacks.Length);
        Assert.Equal(3, File.ReadAllLines(folder["report/tables/memorization.csv"]).Length);
        var section = Assert.Single(outcome.Sections, s => s.Title == "Beyond the paper: adversarial examples and memorization");
        Assert.Equal(2, section.Findings.Count);
        Assert.StartsWith("✓ mlp-1x512, label noise 0.5, epoch 1", section.Findings[1]);
    }
}
