using System.Globalization;
using Shatter.Adversarial;
using Shatter.Results;

namespace Shatter.Reporting.Analysis;

/// <summary>Accuracy under one attack at one ε for the runs of one (model, randomization) group, over their seeds.</summary>
public sealed record AttackCurvePoint(string Model, string Randomization, double LabelNoise, string Method, string Set, double Epsilon, string EpsilonText, Spread Accuracy);

/// <summary>A memorization measure at one epoch for one (model, randomization, example group), over seeds.</summary>
public sealed record MemorizationCurvePoint(string Model, string Randomization, double LabelNoise, string Group, int Epoch, Spread CriticalSampleRatio, Spread LossSensitivity, int Examples);

/// <summary>
/// The analysis of the adversarial section, pure functions of finished runs and their stored points: accuracy against ε
/// per model, randomization (true labels, partial noise, random labels, ...), attack and set; Arpit et al.'s measures over
/// epochs for clean and corrupted examples; and the findings.
/// </summary>
public static class AdversarialAnalysis
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// What a run's training data was, as its spec's grid names it: the labels of its grid point except model and seed
    /// ("label noise 0.2" in figure1, "pair-flip 0.4" in noise), else derived from its configuration ("random labels").
    /// </summary>
    public static string Label(ReportRun run)
    {
        var parts = run.Record.Point.Where(p => p.Key is not ("model" or "seed")).Select(p => p.Value).ToList();
        return parts.Count > 0 ? string.Join(", ", parts) : run.Randomization;
    }

    /// <summary>Each label's first place in its spec's grid order (true labels, label noise 0.2, ..., random labels, shuffled pixels, ...).</summary>
    static Dictionary<string, int> GridOrder(IReadOnlyList<ReportRun> runs) =>
        runs.GroupBy(Label).ToDictionary(g => g.Key, g => g.Min(r => r.Record.Order));

    /// <summary>Each (model, randomization, method, set, ε) of the attacked runs, over seeds; ordered by noise, then ε.</summary>
    public static IReadOnlyList<AttackCurvePoint> AttackCurves(IReadOnlyList<ReportRun> runs, IReadOnlyList<StoredAttack> attacks)
    {
        var byHash = runs.Where(r => r.Done).GroupBy(r => r.Record.Hash).ToDictionary(g => g.Key, g => g.First());
        var order = GridOrder(runs);
        return [.. attacks.Where(a => byHash.ContainsKey(a.Hash))
            .GroupBy(a => (byHash[a.Hash].Model, Randomization: Label(byHash[a.Hash]), byHash[a.Hash].Config.LabelNoise, a.Method, a.Set, a.Epsilon))
            .Select(g => new AttackCurvePoint(g.Key.Model, g.Key.Randomization, g.Key.LabelNoise, g.Key.Method, g.Key.Set, g.Key.Epsilon,
                g.First().EpsilonText, Spread.Of(g.Select(a => a.Accuracy))))
            .OrderBy(p => p.Model, StringComparer.Ordinal).ThenBy(p => p.Method, StringComparer.Ordinal).ThenBy(p => p.Set, StringComparer.Ordinal)
            .ThenBy(p => order[p.Randomization]).ThenBy(p => p.LabelNoise).ThenBy(p => p.Randomization, StringComparer.Ordinal).ThenBy(p => p.Epsilon)];
    }

    /// <summary>Each (model, randomization, group, epoch) of the measured runs, over seeds.</summary>
    public static IReadOnlyList<MemorizationCurvePoint> MemorizationCurves(IReadOnlyList<ReportRun> runs, IReadOnlyList<(string Hash, MemorizationPoint Point)> points)
    {
        var byHash = runs.Where(r => r.Done).GroupBy(r => r.Record.Hash).ToDictionary(g => g.Key, g => g.First());
        var order = GridOrder(runs);
        return [.. points.Where(p => byHash.ContainsKey(p.Hash))
            .GroupBy(p => (byHash[p.Hash].Model, Randomization: Label(byHash[p.Hash]), byHash[p.Hash].Config.LabelNoise, p.Point.Group, p.Point.Epoch))
            .Select(g => new MemorizationCurvePoint(g.Key.Model, g.Key.Randomization, g.Key.LabelNoise, g.Key.Group, g.Key.Epoch,
                Spread.Of(g.Select(p => p.Point.CriticalSampleRatio)), Spread.Of(g.Select(p => p.Point.LossSensitivity)), g.Sum(p => p.Point.Examples)))
            .OrderBy(p => p.Model, StringComparer.Ordinal).ThenBy(p => order[p.Randomization]).ThenBy(p => p.LabelNoise).ThenBy(p => p.Randomization, StringComparer.Ordinal)
            .ThenBy(p => p.Group, StringComparer.Ordinal).ThenBy(p => p.Epoch)];
    }

    /// <summary>
    /// Per model, attack and set, at the largest ε: accuracy under attack against clean accuracy (ε = 0) for every
    /// randomization, and the share of the clean accuracy that survives.
    /// </summary>
    public static IReadOnlyList<string> AttackFindings(IReadOnlyList<AttackCurvePoint> curves)
    {
        var findings = new List<string>();
        foreach (var g in curves.GroupBy(p => (p.Model, p.Method, p.Set)))
        {
            var largest = g.Max(p => p.Epsilon);
            if (largest == 0) continue;
            var parts = new List<string>();
            foreach (var r in g.GroupBy(p => p.Randomization))
            {
                var clean = r.FirstOrDefault(p => p.Epsilon == 0);
                var attacked = r.FirstOrDefault(p => p.Epsilon == largest);
                if (clean is null || attacked is null) continue;
                parts.Add(string.Create(Inv, $"{r.Key} {clean.Accuracy.Mean:P1} → {attacked.Accuracy.Mean:P1}{(clean.Accuracy.Mean > 0 ? $" ({attacked.Accuracy.Mean / clean.Accuracy.Mean:P0} kept)" : "")}"));
            }
            if (parts.Count == 0) continue;
            var text = g.First(p => p.Epsilon == largest).EpsilonText;
            findings.Add($"{g.Key.Method.ToUpperInvariant()} on {g.Key.Model}, {g.Key.Set} set, ε 0 → {text}: {string.Join("; ", parts)}.");
        }
        return findings;
    }

    /// <summary>
    /// Arpit et al. 2017 find that corrupted (memorized) examples have more critical samples and a larger loss sensitivity
    /// than clean ones: per model and randomization with both groups, at the last measured epoch, whether that holds here.
    /// </summary>
    public static IReadOnlyList<string> MemorizationFindings(IReadOnlyList<MemorizationCurvePoint> curves)
    {
        var findings = new List<string>();
        foreach (var g in curves.GroupBy(p => (p.Model, p.Randomization)))
        {
            int last = g.Max(p => p.Epoch);
            var clean = g.FirstOrDefault(p => p.Epoch == last && p.Group == "clean");
            var corrupted = g.FirstOrDefault(p => p.Epoch == last && p.Group == "corrupted");
            if (clean is null || corrupted is null || clean.Examples == 0 || corrupted.Examples == 0) continue;
            bool csr = corrupted.CriticalSampleRatio.Mean > clean.CriticalSampleRatio.Mean;
            bool ls = corrupted.LossSensitivity.Mean > clean.LossSensitivity.Mean;
            findings.Add(string.Create(Inv,
                $"{(csr && ls ? "✓" : "✗")} {g.Key.Model}, {g.Key.Randomization}, epoch {last}: critical sample ratio corrupted {corrupted.CriticalSampleRatio.Mean:0.0000} vs clean {clean.CriticalSampleRatio.Mean:0.0000}, loss sensitivity {corrupted.LossSensitivity.Mean:0.###} vs {clean.LossSensitivity.Mean:0.###} (Arpit et al. 2017: both higher on corrupted examples{(csr && ls ? "; holds" : "; does not hold here")})."));
        }
        return findings;
    }
}
