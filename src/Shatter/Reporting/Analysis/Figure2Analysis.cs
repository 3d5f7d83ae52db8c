using System.Globalization;

namespace Shatter.Reporting.Analysis;

/// <summary>One Figure-2 run's numbers: final and best test accuracy, the epoch of the best, and what early stopping would have gained.</summary>
public sealed record Figure2Seed(string Model, long Seed, double FinalTrain, double FinalTest, double BestTest, int BestEpoch, double Chance)
{
    /// <summary>Best − final test accuracy: what stopping at the best epoch would have gained.</summary>
    public double EarlyStoppingGain => BestTest - FinalTest;
    /// <summary>"Well above chance": training accuracy past halfway from chance to 100%.</summary>
    public bool Learned => FinalTrain >= Chance + (1 - Chance) / 2;
}

/// <summary>
/// Figure 2b's analysis, pure functions of the runs: every seed's final and best test accuracy (all seeds,
/// not the first one), the batch-norm gap per seed (a model against its "-nobn" twin), and the findings
/// against the paper: both networks learn, batch norm changes test accuracy by a few points (3–4 in the
/// paper), early stopping gains little (none observed on CIFAR-10).
/// </summary>
public static class Figure2Analysis
{
    /// <summary>Early stopping "gains little" up to 1 point of test accuracy.</summary>
    public const double SmallGain = 0.01;

    public static IReadOnlyList<Figure2Seed> Seeds(IReadOnlyList<ReportRun> runs) =>
        [.. runs.Where(r => r.Done).OrderBy(r => r.Record.Order).Select(r => new Figure2Seed(r.Model, r.Config.Seed, r.Summary!.FinalTrainAccuracy,
            r.Summary.FinalTestAccuracy, r.Summary.BestTestAccuracy, r.Summary.BestTestEpoch, r.ChanceAccuracy))];

    /// <summary>Per model, its seeds' curves (training and test accuracy against steps) aligned on steps.</summary>
    public static (IReadOnlyList<CurvePoint> Train, IReadOnlyList<CurvePoint> Test) Curves(IReadOnlyList<ReportRun> runsOfModel)
    {
        var done = runsOfModel.Where(r => r.Done).ToList();
        return (StepCurves.Align([.. done.Select(r => (IReadOnlyList<(double, double)>)[.. r.Epochs.Select(e => ((double)e.Step, e.TrainAccuracy))])]),
                StepCurves.Align([.. done.Select(r => (IReadOnlyList<(double, double)>)[.. r.Epochs.Select(e => ((double)e.Step, e.TestAccuracy))])]));
    }

    public static IReadOnlyList<string> Findings(IReadOnlyList<ReportRun> runs)
    {
        var seeds = Seeds(runs);
        var lines = new List<string>();
        foreach (var s in seeds)
            lines.Add($"{(s.Learned ? "✓" : "✗")} {s.Model} seed {S(s.Seed)}: training accuracy {RunOutcome.Percent(s.FinalTrain)}, " +
                $"{(s.Learned ? "well above" : "not well above")} chance ({RunOutcome.Percent(s.Chance)}); test accuracy {RunOutcome.Percent(s.FinalTest)}.");
        // the batch-norm gap: each model with batch norm against its "-nobn" twin, seed by seed
        foreach (var bn in seeds.Select(s => s.Model).Distinct().Where(m => seeds.Any(s => s.Model == m + "-nobn")))
            foreach (var with in seeds.Where(s => s.Model == bn))
            {
                if (seeds.FirstOrDefault(s => s.Model == bn + "-nobn" && s.Seed == with.Seed) is not { } without) continue;
                double final = with.FinalTest - without.FinalTest, best = with.BestTest - without.BestTest;
                bool ahead = final >= 0;
                lines.Add($"{(ahead ? "✓" : "✗")} seed {S(with.Seed)}: batch norm {(ahead ? "ahead" : "behind")} by {ReportText.Points(final)} points in final test accuracy ({bn} {RunOutcome.Percent(with.FinalTest)} vs {without.Model} {RunOutcome.Percent(without.FinalTest)}) " +
                    $"and {ReportText.Points(best)} in best test accuracy ({RunOutcome.Percent(with.BestTest)} vs {RunOutcome.Percent(without.BestTest)}); paper: batch norm adds 3–4 points.");
            }
        foreach (var s in seeds)
        {
            bool small = s.EarlyStoppingGain <= SmallGain + 1e-9;  // a tolerance for the rounding of best − final
            lines.Add($"{(small ? "✓" : "✗")} {s.Model} seed {S(s.Seed)}: early stopping would have gained {ReportText.Points(s.EarlyStoppingGain)} points (best {RunOutcome.Percent(s.BestTest)} at epoch {s.BestEpoch}, final {RunOutcome.Percent(s.FinalTest)}); " +
                $"paper: no benefit on CIFAR-10{(small ? "" : $" (here more than {SmallGain * 100:0} point)")}.");
        }
        return lines;
    }

    static string S(long seed) => seed.ToString(CultureInfo.InvariantCulture);
}
