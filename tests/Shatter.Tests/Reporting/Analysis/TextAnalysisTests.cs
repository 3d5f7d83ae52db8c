using Shatter.Corruptions;
using Shatter.Reporting;
using Shatter.Reporting.Analysis;
using Shatter.Training;

namespace Shatter.Tests.Reporting.Analysis;

/// <summary>The text spec's analysis: points per randomization, slowdown against true labels, findings beside the paper.</summary>
public sealed class TextAnalysisTests
{
    /// <summary>A finished fortunes run: 32 classes (its label transition), 256 test texts, 8 steps per epoch.</summary>
    internal static ReportRun Run(string model, double p, InputMode inputs, double test, int? epochsToFit, long seed = 1, double train = 1.0) =>
        ReportRun.Of("text", new Dictionary<string, string>(),
            new TrainConfig { Dataset = "fortunes", Model = model, LabelNoise = p, Inputs = inputs, Seed = seed, UntilFit = true },
            new TrainSummary
            {
                FinalTrainAccuracy = epochsToFit is null ? train : 1.0, FinalTestAccuracy = test, TestSize = 256,
                StepsToFit = epochsToFit * 8, EpochsToFit = epochsToFit, Steps = (epochsToFit ?? 300) * 8L,
                StopReason = epochsToFit is null ? "epochs" : "fit", LabelTransition = [.. Enumerable.Range(0, 32).Select(_ => new long[32])],
            });

    const string T = "text-transformer-1x64";

    static readonly ReportRun[] Agreeing =
    [
        Run(T, 0, InputMode.True, 0.40, 10),
        Run(T, 0.2, InputMode.True, 0.30, 15),
        Run(T, 0.5, InputMode.True, 0.18, 20),
        Run(T, 0.8, InputMode.True, 0.07, 25),
        Run(T, 1, InputMode.True, 0.03, 30),
        Run(T, 0, InputMode.ShuffledTokens, 0.35, 12),
        Run(T, 0, InputMode.RandomTokens, 0.04, 20),
    ];

    [Fact]
    public void Points_name_each_randomization_with_its_noise_level_slowdown_and_chance()
    {
        var points = TextAnalysis.Points(Agreeing);
        Assert.Equal(["true labels", "label noise 0.2", "label noise 0.5", "label noise 0.8", "random labels", "shuffled tokens", "random tokens"], points.Select(p => p.Randomization));
        Assert.Equal([0, 0.2, 0.5, 0.8, 1, 0, 0], points.Select(p => p.Level));
        var random = points.Single(p => p.Randomization == "random labels");
        Assert.Equal(3.0, random.Slowdown.Mean, 12);   // 240 steps against 80
        Assert.Equal(1 / 32.0, random.Chance, 12);
        Assert.True(random.AllFitted);
    }

    [Fact]
    public void Chance_is_three_standard_errors_of_a_guess_on_the_test_set()
    {
        // chance 1/32 on 256 texts: standard error 1.09 points, so chance + 3 SE ≈ 6.4%
        Assert.True(TextAnalysis.AtChance(0.06, 1 / 32.0, 256));
        Assert.False(TextAnalysis.AtChance(0.07, 1 / 32.0, 256));
    }

    [Fact]
    public void Findings_that_agree_with_the_paper_still_say_what_differs()
    {
        var findings = TextAnalysis.Findings(TextAnalysis.Points(Agreeing));
        Assert.Equal(5, findings.Count);
        Assert.StartsWith("✓ text-transformer-1x64: fitted random labels on real text in 30 epochs, 3.0× the steps of true labels (10 epochs); test accuracy 3% (chance 3.1%)", findings[0]);
        Assert.EndsWith("Agrees.", findings[0]);
        // the noise curve falls steadily, yet its fall is far smaller than the paper's
        Assert.StartsWith("✓ text-transformer-1x64: test accuracy against label noise 0: 40%, 0.2: 30%, 0.5: 18%, 0.8: 7%, 1: 3%.", findings[1]);
        Assert.Contains("Agrees in shape: the whole fall is 36.9 points", findings[1]);
        // shuffled tokens keep the bag of words: above chance, unlike the paper's random pixels
        Assert.StartsWith("✗ text-transformer-1x64, shuffled tokens: fitted in 12 epochs (1.2× true labels' steps); test accuracy 35%", findings[2]);
        Assert.Contains("Differs: test accuracy stays above chance (shuffling keeps each text's bag of tokens", findings[2]);
        Assert.EndsWith("Agrees.", findings[3]); // random tokens: fitted, at chance
        Assert.StartsWith("What differs from the paper's setup: texts", findings[4]);
    }

    [Fact]
    public void Findings_name_each_departure_an_unfitted_run_a_rise_and_a_random_label_model_above_chance()
    {
        ReportRun[] runs =
        [
            Run(T, 0, InputMode.True, 0.40, 10),
            Run(T, 0.2, InputMode.True, 0.30, 15),
            Run(T, 0.5, InputMode.True, 0.38, 20),           // rises by 8 points: more than two standard errors (6.25)
            Run(T, 1, InputMode.True, 0.12, null, train: 0.6),
        ];
        var findings = TextAnalysis.Findings(TextAnalysis.Points(runs));
        Assert.StartsWith("✗ text-transformer-1x64: did not fit random labels (training accuracy 60%), at least 30.0× the steps of true labels", findings[0]);
        Assert.Contains("Differs: it did not fit them within its epoch cap; its test accuracy stays above chance (12% against 3.1%).", findings[0]);
        Assert.StartsWith("✗", findings[1]);
        Assert.Contains("it rises from noise 0.2 to 0.5", findings[1]);
        Assert.Contains("the runs at noise 1 did not fit their training set", findings[1]);
    }
}
