using System.Globalization;
using Shatter.Corruptions;

namespace Shatter.Reporting.Analysis;

/// <summary>
/// One label-noise level of one model in Figure 1b/1c (true inputs): its runs, the time to fit relative to the true-label
/// run of the same seed (an unfitted run counts with the steps it ran: a lower bound, <see cref="AllFitted"/> says so), the
/// test error, and chance error (1 − 1/classes).
/// </summary>
public sealed record Figure1NoiseLevel(string Model, double P, int Runs, Spread RelativeTimeToFit, Spread TestError, bool AllFitted, double ChanceError);

/// <summary>
/// Figure 1's analysis, pure functions of the runs: the training-loss curves aligned on steps, the noise levels of 1b/1c, and the
/// findings against the paper (every mode fits; random labels fit within a small constant factor of true
/// labels; random pixels and gaussian inputs fit faster than random labels; test error rises with label noise).
/// </summary>
public static class Figure1Analysis
{
    /// <summary>Random labels may take at most this many times the steps of true labels to count as "a small constant factor" (paper Fig. 1b: about 2–4×).</summary>
    public const double SmallFactor = 5;

    /// <summary>
    /// Per randomization (in grid order), the training loss of its seeds against steps: each run's per-step
    /// losses averaged in common bins (about 400 over the longest run), then mean and min–max over the runs
    /// that reached each bin. A run without per-step rows contributes its per-epoch training loss.
    /// </summary>
    public static IReadOnlyList<(string Randomization, IReadOnlyList<CurvePoint> Curve)> LossCurves(IReadOnlyList<ReportRun> runs)
    {
        var done = runs.Where(r => r.Done).ToList();
        var curves = done.ToDictionary(r => r, r => (IReadOnlyList<(double X, double Y)>)(r.Steps.Count > 0
            ? [.. r.Steps.Select(s => ((double)s.Step, s.Loss))]
            : [.. r.Epochs.Select(e => ((double)e.Step, e.TrainLoss))]));
        double width = StepCurves.BinWidth(curves.Values.Select(c => c.Count == 0 ? 0 : c[^1].X));
        return [.. done.GroupBy(r => r.Randomization).OrderBy(g => g.Min(r => r.Record.Order))
            .Select(g => (g.Key, StepCurves.Align([.. g.Select(r => curves[r]).Where(c => c.Count > 0)], width)))];
    }

    /// <summary>Per model (in run order) and label-noise level (ascending), the finished runs with true inputs: Figure 1b and 1c's points.</summary>
    public static IReadOnlyList<Figure1NoiseLevel> NoiseLevels(IReadOnlyList<ReportRun> runs)
    {
        var levels = new List<Figure1NoiseLevel>();
        var noise = runs.Where(r => r.Done && r.Config.Inputs == InputMode.True).ToList();
        foreach (var model in runs.Select(r => r.Model).Distinct())
        {
            var ofModel = noise.Where(r => r.Model == model).ToList();
            var reference = ofModel.Where(r => r.Config.LabelNoise == 0 && r.Summary!.StepsToFit is > 0)
                .GroupBy(Twin).ToDictionary(g => g.Key, g => (double)g.First().Summary!.StepsToFit!.Value);
            foreach (var p in ofModel.Select(r => r.Config.LabelNoise).Distinct().Order())
            {
                var at = ofModel.Where(r => r.Config.LabelNoise == p).ToList();
                var rel = Spread.Of(at.Where(r => reference.ContainsKey(Twin(r))).Select(r => (r.Summary!.StepsToFit ?? r.Summary.Steps) / reference[Twin(r)]));
                levels.Add(new Figure1NoiseLevel(model, p, at.Count, rel, Spread.Of(at.Select(r => 1 - r.Summary!.FinalTestAccuracy)), at.All(r => r.Fitted), 1 - at[0].ChanceAccuracy));
            }
        }
        return levels;
    }

    /// <summary>What a run shares with its true-label reference: its seed and its labels on every axis but the randomization.</summary>
    static string Twin(ReportRun r) =>
        $"{r.Config.Seed}|{string.Join(",", r.Record.Point.Where(p => p.Key is not ("randomization" or "seed")).Select(p => $"{p.Key}={p.Value}"))}";

    public static IReadOnlyList<string> Findings(IReadOnlyList<ReportRun> runs)
    {
        var lines = new List<string>();
        var done = runs.Where(r => r.Done).ToList();
        var unfitted = done.Where(r => !r.Fitted).ToList();
        if (unfitted.Count == 0 && done.Count == runs.Count)
            lines.Add($"✓ every mode reached {RunOutcome.Percent(done.Select(r => r.Config.FitTarget).DefaultIfEmpty(1).Min())} training accuracy ({done.Count} runs).");
        else
        {
            var parts = unfitted.Select(r => $"{r.Model} {r.Randomization} seed {r.Config.Seed} {RunOutcome.Describe(r.Config, r.Summary!)}").ToList();
            if (done.Count < runs.Count) parts.Add($"{runs.Count - done.Count} of {runs.Count} runs did not finish");
            lines.Add($"✗ not every run fitted its training set: {string.Join("; ", parts)}.");
        }
        foreach (var model in runs.Select(r => r.Model).Distinct())
        {
            var ofModel = done.Where(r => r.Model == model && r.Config.Inputs == InputMode.True).ToList();
            var trueRuns = ofModel.Where(r => r.Config.LabelNoise == 0).ToList();
            var randomRuns = ofModel.Where(r => r.Config.LabelNoise == 1).ToList();
            var t = StepsToFit(trueRuns);
            var rl = StepsToFit(randomRuns);
            if (t.Count > 0 && rl.Count > 0)
            {
                double ratio = rl.Mean / t.Mean;
                var missing = Unfitted(trueRuns, "true labels").Concat(Unfitted(randomRuns, "random labels")).ToList();
                bool ok = ratio <= SmallFactor && missing.Count == 0;
                lines.Add($"{(ok ? "✓" : "✗")} {model}: random labels took {ratio:0.0}× the steps of true labels ({rl.Mean:0} vs {t.Mean:0}, mean over the seeds that fitted){(missing.Count > 0 ? $"; {string.Join("; ", missing)} and {(missing.Count == 1 ? "is" : "are")} left out" : "")} (paper: a small constant factor, here at most {SmallFactor:0}×).");
            }
            // paper: random pixels and gaussian inputs fit faster than random labels
            foreach (var mode in new[] { InputMode.Random, InputMode.Gaussian })
            {
                var m = StepsToFit(done.Where(r => r.Model == model && r.Config.Inputs == mode));
                if (m.Count > 0 && rl.Count > 0)
                    lines.Add($"{(m.Mean < rl.Mean ? "✓" : "✗")} {model}: {ReportText.Name(mode)} inputs fitted in {m.Mean:0} steps, {(m.Mean < rl.Mean ? "faster" : "not faster")} than random labels ({rl.Mean:0}).");
            }
            var errors = ofModel.GroupBy(r => r.Config.LabelNoise).OrderBy(g => g.Key)
                .Select(g => (P: g.Key, E: g.Average(r => 1 - r.Summary!.FinalTestAccuracy))).ToList();
            if (errors.Count >= 2)
            {
                bool rising = errors.Zip(errors.Skip(1)).All(p => p.Second.E >= p.First.E - 0.02);
                lines.Add($"{(rising ? "✓" : "✗")} {model}: test error {string.Join(" → ", errors.Select(e => RunOutcome.Percent(e.E)))} as label noise goes {string.Join(" → ", errors.Select(e => e.P.ToString(CultureInfo.InvariantCulture)))}{(rising ? " (rising)" : " (not monotone)")}.");
            }
        }
        return lines;
    }

    static Spread StepsToFit(IEnumerable<ReportRun> runs) => Spread.Of(runs.Select(r => (double)(r.Summary!.StepsToFit ?? double.NaN)));

    /// <summary>"1 of 2 random-labels seeds did not fit within the cap of 400 epochs", or nothing when all fitted.</summary>
    static IEnumerable<string> Unfitted(IReadOnlyList<ReportRun> runs, string what)
    {
        var not = runs.Where(r => !r.Fitted).ToList();
        if (not.Count == 0) yield break;
        var caps = string.Join(", ", not.Select(r => r.Config.Epochs).Distinct());
        yield return $"{not.Count} of {runs.Count} {what} seeds did not fit within the cap of {caps} epochs";
    }
}
