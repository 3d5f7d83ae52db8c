using System.Diagnostics;
using System.Globalization;
using Shatter.Measures;
using Shatter.Results;

namespace Shatter.Pipelines;

/// <summary>
/// The complexity measures of finished runs (<c>shatter measures</c>, and <c>shatter reproduce figure1</c> after its
/// sweep): what is stored is skipped; runs whose folders or weights are not here are skipped with a note, not an error,
/// so the rest is measured. One line per run and a closing line go to <c>log</c>.
/// </summary>
public static class MeasuresJob
{
    public static List<SweepMeasures.Row> Run(IReadOnlyList<(string? Hash, string Dir)> runs, IResultsStore? store, IReadOnlyList<string> groups,
        FlatnessSettings flatness, Action<string> log)
    {
        if (store is not null)
        {
            var missing = runs.Where(r => !Directory.Exists(r.Dir)).ToList();
            if (missing.Count > 0)
                log($"measures: skipping {missing.Count} runs whose folders are not in {Path.GetDirectoryName(missing[0].Dir)}: measure where the sweep's run folders are (runs/ beside a SQLite file; results/runs under the current folder with PostgreSQL).");
            runs = [.. runs.Except(missing)];
            // runs whose requested groups are all stored need no weights
            var without = runs.Where(r => !File.Exists(Path.Combine(r.Dir, Training.RunWeights.FinalFile))
                && !(RunMeasures.Read(Path.Combine(r.Dir, MeasureFile.FileName)) is { } stored && groups.All(stored.Groups.ContainsKey))).ToList();
            if (without.Count > 0)
                log($"measures: skipping {without.Count} runs without saved weights (trained before runs kept them): sweep them into a fresh results folder (--out) to measure them.");
            runs = [.. runs.Except(without)];
        }
        var clock = Stopwatch.StartNew();
        var rows = SweepMeasures.Compute(runs, store, groups, flatness);
        foreach (var r in rows)
        {
            string F(string name) => r.Measures.Value(name) is { } v ? v.ToString("G4", CultureInfo.InvariantCulture) : "–";
            log($"{r.Hash ?? r.Run}: train acc {F("train_accuracy")}, γ (10th pct margin) {F("margin_p10")}, spectral complexity {F("spectral_complexity")}, path norm {F("path_norm")}, "
                + $"dist from init {F("distance_from_init")}, σ′ {F("pac_bayes_sigma")}, mag σ′ {F("pac_bayes_mag_sigma")}, sharpness {F("sharpness")}");
            foreach (var note in r.Measures.Notes.Values.Distinct()) log($"{r.Hash ?? r.Run}: {note}");
        }
        log(string.Create(CultureInfo.InvariantCulture, $"measures of {rows.Count} runs in {clock.Elapsed.TotalSeconds:0.0} s (groups {string.Join(", ", groups)}; flatness on {flatness.Examples} examples, {flatness.Draws} draws, {flatness.BisectionSteps} bisection steps, sharpness {flatness.SharpnessSteps} steps; stored groups skipped)"));
        return rows;
    }
}
