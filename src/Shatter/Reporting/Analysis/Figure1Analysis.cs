using System.Globalization;
using Shatter.Corruptions;

namespace Shatter.Reporting.Analysis;

/// <summary>
/// One label-noise level of one model in Figure 1b/1c (true inputs): its runs, the time to fit relative to the true-label
/// run of the same seed (an unfitted run counts with the steps it ran: a lower bound, <see cref="AllFitted"/> says so), the
/// test error, and chance error (1 − 1/classes); and, from the per-epoch rows, the time to 99% training accuracy relative to
/// the true-label run's, and the share of a fitted run's steps spent after 99% (on the last 1% of its training set).
/// </summary>
public sealed record Figure1NoiseLevel(string Model, double P, int Runs, Spread RelativeTimeToFit, Spread TestError, bool AllFitted, double ChanceError,
    Spread RelativeTimeTo99, Spread LastPercentShare);

/// <summary>
/// Figure 1's analysis, pure functions of the runs: the training-loss curves aligned on steps, the noise levels of 1b/1c, and the
/// findings against the paper (every mode fits; random labels fit within a small constant factor of true
/// labels; random pixels and gaussian inputs fit faster than random labels; test error rises with label noise).
/// </summary>
public static class Figure1Analysis
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

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
            var trueRuns = ofModel.Where(r => r.Config.LabelNoise == 0 && r.Summary!.StepsToFit is > 0).GroupBy(Twin).ToDictionary(g => g.Key, g => g.First());
            var reference = trueRuns.ToDictionary(p => p.Key, p => (double)p.Value.Summary!.StepsToFit!.Value);
            var reference99 = trueRuns.ToDictionary(p => p.Key, p => StepAt(p.Value, 0.99));
            foreach (var p in ofModel.Select(r => r.Config.LabelNoise).Distinct().Order())
            {
                var at = ofModel.Where(r => r.Config.LabelNoise == p).ToList();
                var rel = Spread.Of(at.Where(r => reference.ContainsKey(Twin(r))).Select(r => (r.Summary!.StepsToFit ?? r.Summary.Steps) / reference[Twin(r)]));
                var rel99 = Spread.Of(at.Where(r => reference99.ContainsKey(Twin(r))).Select(r => StepAt(r, 0.99) / reference99[Twin(r)]));
                var last = Spread.Of(at.Where(r => r.Fitted).Select(r => 1 - StepAt(r, 0.99) / r.Summary!.StepsToFit!.Value));
                levels.Add(new Figure1NoiseLevel(model, p, at.Count, rel, Spread.Of(at.Select(r => 1 - r.Summary!.FinalTestAccuracy)), at.All(r => r.Fitted), 1 - at[0].ChanceAccuracy,
                    rel99, last));
            }
        }
        return levels;
    }

    /// <summary>The step of the first epoch row at which a run's training accuracy reached <paramref name="accuracy"/>; NaN without one (or at step 0).</summary>
    public static double StepAt(ReportRun run, double accuracy) =>
        run.Epochs.FirstOrDefault(e => e.TrainAccuracy >= accuracy)?.Step is { } s and > 0 ? s : double.NaN;

    /// <summary>What a run shares with its true-label reference: its seed and its labels on every axis but the randomization.</summary>
    static string Twin(ReportRun r) =>
        $"{r.Config.Seed}|{string.Join(",", r.Record.Point.Where(p => p.Key is not ("randomization" or "seed")).Select(p => $"{p.Key}={p.Value}"))}";

    /// <summary>
    /// The findings against the paper, what agrees and what differs: every mode fits; per model, random labels' slowdown
    /// (a small constant factor), the order in which the modes fit (Figure 1a: true labels first), random pixels and gaussian
    /// inputs against random labels, whether the slowdown rises with the noise (Figure 1b), and the test error (Figure 1c).
    /// Each states the spread over seeds where there are several.
    /// </summary>
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
        var levels = NoiseLevels(runs);
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
                var seeds = rl.Min != rl.Max || t.Min != t.Max ? $"; seeds {Range(rl)} vs {Range(t)}" : "";
                lines.Add($"{(ok ? "✓" : "✗")} {model}: random labels took {ratio:0.0}× the steps of true labels ({rl.Mean:0} vs {t.Mean:0}, mean over the seeds that fitted{seeds}){(missing.Count > 0 ? $"; {string.Join("; ", missing)} and {(missing.Count == 1 ? "is" : "are")} left out" : "")} (paper: a small constant factor, here at most {SmallFactor:0}×).");
            }
            if (Order(model, done.Where(r => r.Model == model).ToList(), trueRuns) is { } order) lines.Add(order);
            // paper: random pixels and gaussian inputs fit faster than random labels
            foreach (var mode in new[] { InputMode.Random, InputMode.Gaussian })
            {
                var m = StepsToFit(done.Where(r => r.Model == model && r.Config.Inputs == mode));
                if (m.Count > 0 && rl.Count > 0)
                    lines.Add($"{(m.Mean < rl.Mean ? "✓" : "✗")} {model}: {ReportText.Name(mode)} inputs fitted in {m.Mean:0} steps, {(m.Mean < rl.Mean ? "faster" : "not faster")} than random labels ({rl.Mean:0}).");
            }
            if (Rising(model, levels.Where(l => l.Model == model && l.RelativeTimeToFit.Count > 0).ToList()) is { } rising) lines.Add(rising);
            var errors = ofModel.GroupBy(r => r.Config.LabelNoise).OrderBy(g => g.Key)
                .Select(g => (P: g.Key, E: g.Average(r => 1 - r.Summary!.FinalTestAccuracy))).ToList();
            if (errors.Count >= 2)
            {
                bool up = errors.Zip(errors.Skip(1)).All(p => p.Second.E >= p.First.E - 0.02);
                lines.Add($"{(up ? "✓" : "✗")} {model}: test error {string.Join(" → ", errors.Select(e => RunOutcome.Percent(e.E)))} as label noise goes {string.Join(" → ", errors.Select(e => e.P.ToString(CultureInfo.InvariantCulture)))}{(up ? " (rising)" : " (not monotone)")}.");
            }
        }
        return lines;
    }

    /// <summary>
    /// Figure 1a: true labels fit first. ✗ naming every other mode (random labels, randomized inputs) whose seeds all fitted in
    /// fewer steps than every true-label seed, with where the true labels' steps went (their last 1% of the training set);
    /// ✓ when none did. Null without fitted true-label runs and another fitted mode.
    /// </summary>
    static string? Order(string model, IReadOnlyList<ReportRun> ofModel, IReadOnlyList<ReportRun> trueRuns)
    {
        var t = StepsToFit(trueRuns);
        var modes = ofModel.Where(r => r.Config.Inputs != InputMode.True || r.Config.LabelNoise >= 1)
            .GroupBy(r => r.Randomization).OrderBy(g => g.Min(r => r.Record.Order))
            .Select(g => (Mode: g.Key, Steps: StepsToFit(g))).Where(m => m.Steps.Count > 0).ToList();
        if (t.Count == 0 || modes.Count == 0) return null;
        var before = modes.Where(m => m.Steps.Max < t.Min).ToList();
        if (before.Count == 0)
            return string.Create(Inv, $"✓ {model}: true labels fitted first ({Steps(t)}; {string.Join("; ", modes.Select(m => $"{m.Mode} {Steps(m.Steps)}"))}), as in the paper's Figure 1a.");
        // where the steps went: the step each fitted seed first reached 90% and 99% training accuracy, and its fit
        string Ladder(IEnumerable<ReportRun> of)
        {
            var fitted = of.Where(r => r.Fitted).ToList();
            return string.Create(Inv, $"{Spread.Of(fitted.Select(r => StepAt(r, 0.9))).Mean:0}, {Spread.Of(fitted.Select(r => StepAt(r, 0.99))).Mean:0}, {StepsToFit(fitted).Mean:0}");
        }
        double at90 = Spread.Of(trueRuns.Where(r => r.Fitted).Select(r => StepAt(r, 0.9))).Mean;
        var why = double.IsNaN(at90) ? ""
            : string.Create(Inv, $" Where the steps go (the step of 90%, 99% and 100% training accuracy, mean over seeds): true labels {Ladder(trueRuns)}; {string.Join("; ", before.Select(m => $"{m.Mode} {Ladder(ofModel.Where(r => r.Randomization == m.Mode))}"))}: true labels spend {Pct(1 - at90 / t.Mean)} of their steps on the last 10% of their training set.");
        return string.Create(Inv, $"✗ {model}: {string.Join(" and ", before.Select(m => $"{m.Mode} ({Steps(m.Steps)})"))} fitted before true labels ({Steps(t)}) — the reverse of the paper's Figure 1a, where true labels fit first.{why}");
    }

    /// <summary>
    /// Figure 1b: the time to fit rises with the label noise. Over three or more levels, ✓ when every level's mean is at least
    /// the previous one's, else ✗ with every level's mean and range over seeds, and how far the seeds of one level are apart.
    /// </summary>
    static string? Rising(string model, IReadOnlyList<Figure1NoiseLevel> levels)
    {
        if (levels.Count < 3) return null;
        string Level(Figure1NoiseLevel l) => string.Create(Inv, $"×{l.RelativeTimeToFit.Mean:0.00}{(l.RelativeTimeToFit.Count > 1 && l.RelativeTimeToFit.Min != l.RelativeTimeToFit.Max ? $" ({l.RelativeTimeToFit.Min:0.00}–{l.RelativeTimeToFit.Max:0.00})" : "")} at {l.P}");
        var drops = levels.Zip(levels.Skip(1)).Where(p => p.Second.RelativeTimeToFit.Mean < p.First.RelativeTimeToFit.Mean).ToList();
        int seeds = levels.Max(l => l.RelativeTimeToFit.Count);
        if (drops.Count == 0)
            return $"✓ {model}: time to fit rises with the label noise: {string.Join(", ", levels.Select(Level))} (relative to true labels{(seeds > 1 ? $", mean and range over {seeds} seeds" : "")}), as in the paper's Figure 1b.";
        var widest = levels.MaxBy(l => l.RelativeTimeToFit.Max / l.RelativeTimeToFit.Min)!;
        var spread = seeds > 1
            ? string.Create(Inv, $" The seeds of one level are up to {Pct(widest.RelativeTimeToFit.Max / widest.RelativeTimeToFit.Min - 1)} apart (at {widest.P}); {Falls(drops)}.")
            : " One seed per level: no spread to weigh the falls against.";
        // where it comes from: the time to 99% training accuracy, and the share of the steps the last 1% took
        var to99 = levels.Where(l => l.P > 0 && l.RelativeTimeTo99.Count > 0).ToList();
        var last = Spread.Of(levels.Where(l => l.P > 0).SelectMany(l => new[] { l.LastPercentShare.Min, l.LastPercentShare.Max }));
        var why = to99.Count < 2 || last.Count == 0 ? ""
            : string.Create(Inv, $" The time to 99% training accuracy {Trend(to99.Select(l => l.RelativeTimeTo99.Mean).ToList())}: {string.Join(", ", to99.Select(l => $"×{l.RelativeTimeTo99.Mean:0.00} at {l.P}"))} (relative to true labels'); the last 1% of the training set took {Pct(last.Min)}–{Pct(last.Max)} of these runs' steps.");
        return $"✗ {model}: time to fit is not monotone in the label noise: {string.Join(", ", levels.Select(Level))} (relative to true labels{(seeds > 1 ? $", mean and range over {seeds} seeds" : "")}); the paper's Figure 1b rises with the noise.{spread}{why}";
    }

    /// <summary>"rises with the noise", "rises with the noise, to within 2%" where a level falls short of the previous by at most 2%, else "is not monotone either".</summary>
    static string Trend(IReadOnlyList<double> values) =>
        values.Zip(values.Skip(1)).All(p => p.Second >= p.First) ? "rises with the noise"
        : values.Zip(values.Skip(1)).All(p => p.Second >= 0.98 * p.First) ? "rises with the noise, to within 2%"
        : "is not monotone either";

    /// <summary>"59%": a fraction as a whole percentage.</summary>
    static string Pct(double fraction) => (100 * fraction).ToString("0", Inv) + "%";

    /// <summary>"948 steps" for one value, "909 steps, seeds 869–948" for a spread over seeds.</summary>
    static string Steps(Spread s) => string.Create(Inv, $"{s.Mean:0} steps") + (s.Min != s.Max ? $", seeds {Range(s)}" : "");

    /// <summary>"869–948", or "948" when every seed took as long.</summary>
    static string Range(Spread s) => s.Min != s.Max ? string.Create(Inv, $"{s.Min:0}–{s.Max:0}") : string.Create(Inv, $"{s.Mean:0}");

    /// <summary>"the falls 0.2 → 0.4 and 0.8 → 1 are larger than the seeds' spread (their ranges do not overlap)", and those within it.</summary>
    static string Falls(IReadOnlyList<(Figure1NoiseLevel First, Figure1NoiseLevel Second)> drops)
    {
        var parts = new List<string>();
        foreach (var beyond in new[] { true, false })
        {
            var of = drops.Where(d => (d.Second.RelativeTimeToFit.Max < d.First.RelativeTimeToFit.Min) == beyond).Select(d => string.Create(Inv, $"{d.First.P} → {d.Second.P}")).ToList();
            if (of.Count > 0)
                parts.Add($"the fall{(of.Count > 1 ? "s" : "")} {string.Join(" and ", of)} {(of.Count > 1 ? "are" : "is")} {(beyond ? "larger than the seeds' spread (their ranges do not overlap)" : "within the seeds' spread")}");
        }
        return string.Join("; ", parts);
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
