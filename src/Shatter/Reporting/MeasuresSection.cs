using System.Globalization;
using Shatter.Corruptions;
using Shatter.Measures;
using Shatter.Results;

namespace Shatter.Reporting;

/// <summary>
/// The report section "Traditional complexity measures": each measure against label noise, Kendall's τ of each
/// against the generalization gap, the normalized-margin histograms of true versus random labels (Bartlett et
/// al.'s figure), and the Rademacher and shattering results saved beside the database. Findings are written
/// from the data. Self-contained (its own HTML, figures and tables), so the report builder plugs it in with one call.
/// </summary>
public sealed class MeasuresSection : IReportSection
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public string? Experiment => null;
    public const string SectionTitle = "Traditional complexity measures";
    public string Title => SectionTitle;

    /// <summary>Whether anything was measured: run measures or Rademacher/shattering results in the database (either backend), nothing beside it.</summary>
    public bool Applies(ReportContext context) => context.Measures.Count > 0 || context.Capacity.Any;

    public IReadOnlyList<string> Write(ReportContext context, ReportWriter writer)
    {
        var stored = context.Measures;
        var measured = context.Distinct.Where(r => r.Done && stored.ContainsKey(r.Record.Hash))
            .Select(r => new MeasuresAnalysis.MeasuredRun(r.Record.Hash, r.Config, r.Summary!, stored[r.Record.Hash])).ToList();
        var rademacher = context.Capacity.Rademacher;
        var vc = context.Capacity.Shattering;
        var w = new Writer(writer);
        w.H(2, Title);
        w.P("Norm-based, margin-based and flatness measures of each finished run on its own training set and labels (definitions, sources and budgets: docs/measures.md), the empirical Rademacher complexity, and shattering. γ is the 10th percentile of the training margins; conv kernels are reshaped to out × in·k·k; batch norm is folded first.");
        if (measured.Count > 0) Measures(w, measured);
        if (rademacher.Count > 0) Rademacher(w, rademacher);
        if (vc.Count > 0) Vc(w, vc);
        writer.Findings(w.Findings);
        return w.Findings;
    }

    static void Measures(Writer w, List<MeasuresAnalysis.MeasuredRun> runs)
    {
        // each measure against label noise, relative to true labels
        var chart = new Chart("Complexity measures against label noise (relative to true labels)", "label corruption", "measure / measure at the lowest noise");
        var table = new CsvTable("measure", "label_noise", "runs", "mean", "relative");
        int color = 0;
        foreach (var (name, label) in MeasuresAnalysis.Shown)
        {
            var series = MeasuresAnalysis.AgainstNoise(runs, name);
            if (series.Count == 0) continue;
            chart.Line(label, [.. series.Select(p => p.Noise)], [.. series.Select(p => p.Relative)], markers: true, colorIndex: color++ % 10);
            foreach (var p in series)
                table.Add(name, p.Noise, runs.Count(r => r.Config.Inputs == InputMode.True && r.Config.LabelNoise == p.Noise), p.Absolute, p.Relative);
        }
        w.Figure(chart, "measures-vs-noise", "Each measure's mean over seeds at each label-noise level (true inputs), divided by its value at the lowest level. A measure that explains generalization should grow with the test error.");
        w.Table(table, "measures-vs-noise", null);

        // Kendall's τ against the generalization gap
        var taus = MeasuresAnalysis.TauWithGap(runs);
        var tauTable = new CsvTable("measure", "kendall_tau_with_gap", "runs");
        foreach (var t in taus) tauTable.Add(t.Label, t.Tau, t.Runs);
        w.Table(tauTable, "measures-kendall-tau", "Kendall's τ-b between each measure and the generalization gap (final training accuracy − final test accuracy) over every measured run of the report (all randomizations and seeds): +1 ranks the runs exactly as their gap, 0 not at all.");
        var ranked = taus.Where(t => double.IsFinite(t.Tau)).OrderByDescending(t => t.Tau).ToList();
        if (ranked.Count > 0)
            w.Findings.Add(string.Create(Inv, $"Kendall's τ with the generalization gap over {ranked.Max(t => t.Runs)} runs: {string.Join(", ", ranked.Select(t => $"{t.Label} {t.Tau:0.00}"))}."));
        foreach (var (name, label) in MeasuresAnalysis.Shown.Take(4))
        {
            var s = MeasuresAnalysis.AgainstNoise(runs, name);
            if (s.Count >= 2)
                w.Findings.Add(string.Create(Inv, $"{label}: ×{s[^1].Relative:0.00} from label noise {s[0].Noise} to {s[^1].Noise} ({(s.Zip(s.Skip(1)).All(p => p.Second.Absolute >= p.First.Absolute) ? "rising with the noise" : "not monotone in the noise")})."));
        }

        // normalized margins: true versus random labels
        var truth = runs.Where(r => r.Config.Inputs == InputMode.True && r.Config.LabelNoise == 0).ToList();
        var random = runs.Where(r => r.Config.Inputs == InputMode.True && r.Config.LabelNoise >= 1).ToList();
        var all = truth.Concat(random).SelectMany(r => r.Measures.Series.GetValueOrDefault("normalized_margin_percentiles") ?? []).Where(double.IsFinite).ToList();
        if (all.Count > 0 && truth.Count > 0 && random.Count > 0)
        {
            double lo = Math.Min(0, all.Min()), hi = all.Max();
            var hist = new Chart("Normalized margins, true versus random labels", "margin / (R · ‖X‖_F / n)", "fraction of training examples");
            var histTable = new CsvTable("labels", "run", "median_normalized_margin", "p10_normalized_margin");
            int c = 0;
            foreach (var (group, label, dashed) in new[] { (truth, "true labels", false), (random, "random labels", true) })
            {
                foreach (var r in group)
                {
                    var p = r.Measures.Series.GetValueOrDefault("normalized_margin_percentiles");
                    if (p is null || p.Length != 101) continue;
                    var (xs, ys) = MeasuresAnalysis.Histogram(p, lo, hi, 40);
                    hist.Line($"{label}, seed {r.Config.Seed}", xs, ys, dashed: dashed, colorIndex: c);
                    histTable.Add(label, r.Hash, p[50], p[10]);
                }
                c++;
            }
            w.Figure(hist, "normalized-margins", "Distribution of the training margins f_y(x) − max_{j≠y} f_j(x) divided by the spectral complexity R times ‖X‖_F/n (Bartlett et al. 2017, Figure 2), true labels (solid) against random labels (dashed), from the 101 stored percentiles of each run.");
            w.Table(histTable, "normalized-margins", null);
            double mt = truth.Average(r => r.Measures.Series["normalized_margin_percentiles"][50]);
            double mr = random.Average(r => r.Measures.Series["normalized_margin_percentiles"][50]);
            w.Findings.Add(string.Create(Inv, $"median normalized margin: {mt:G3} with true labels, {mr:G3} with random labels ({(mt <= mr ? "not larger with true labels" : mr > 0 ? $"{mt / mr:0.0}× larger with true labels" : "larger with true labels")})."));
        }

        var per = new CsvTable(["hash", "model", "label_noise", "inputs", "seed", "train_accuracy", "test_accuracy", "gap", "margin_p10", .. MeasuresAnalysis.Shown.Select(m => m.Name)]);
        foreach (var r in runs)
            per.Add([r.Hash, r.Config.Model, r.Config.LabelNoise, r.Config.Inputs.ToString(), r.Config.Seed, r.Summary.FinalTrainAccuracy, r.Summary.FinalTestAccuracy, r.Gap,
                r.Measures.Value("margin_p10"), .. MeasuresAnalysis.Shown.Select(m => (object?)r.Measures.Value(m.Name))]);
        w.Table(per, "measures-runs", "Every measured run (all measures of a run: its measures.json, or the database's measures table).", show: false);
    }

    static void Rademacher(Writer w, IReadOnlyList<RademacherResult> results)
    {
        var t = new CsvTable("model", "dataset", "n", "draws", "parameters", "epochs", "rademacher", "std", "min", "max", "train_accuracy", "bound_gap", "verdict");
        foreach (var r in results)
            foreach (var p in r.Budgets)
                t.Add(r.Model, r.Dataset, r.TrainSize, r.Draws, r.Parameters, p.Epochs, p.Mean, p.StdDev, p.Min, p.Max, p.MeanTrainAccuracy, p.BoundGap, RademacherExperiment.Verdict(p.BoundGap));
        w.Table(t, "rademacher", "Empirical Rademacher complexity R̂ = mean over draws of (1/n) Σ σᵢ sign(f(xᵢ)) after training a one-output head on random ±1 labels for at most the given epochs, and the bound it implies: test error ≤ training error + R̂ + 3√(ln(2/δ)/(2n)), δ = 0.05.");
        foreach (var r in results)
        {
            var p = r.Budgets[^1];
            w.Findings.Add(string.Create(Inv, $"{r.Model} on {r.TrainSize} {r.Dataset} images: R̂ = {p.Mean:0.000} (±{p.StdDev:0.000}, {r.Draws} draws, ≤ {p.Epochs} epochs), so the Rademacher bound adds {p.BoundGap:0.000} to the training error: {RademacherExperiment.Verdict(p.BoundGap)}."));
        }
    }

    static void Vc(Writer w, IReadOnlyList<ShatteringResult> results)
    {
        var t = new CsvTable("model", "points", "dimension", "labellings", "all_labellings", "fitted", "shattered", "parameters");
        foreach (var r in results) t.Add(r.Model, r.N, r.D, r.Labellings, r.AllLabellings, r.Fitted, r.Shattered, r.Parameters);
        w.Table(t, "vc", "Shattering: labellings of N random Gaussian points that the MLP (one-output head) fits. All 2^N fitted: an empirical lower bound VC ≥ N.");
        foreach (var r in results)
            w.Findings.Add(string.Create(Inv, $"{r.Model} ({r.Parameters} parameters) fitted {r.Fitted} of {r.Labellings} labellings of {r.N} points in {r.D}-D{(r.Shattered ? $": shattered, VC ≥ {r.N}" : r.AllLabellings ? ": not shattered by what training found" : "")}."));
    }

    /// <summary>The shared report writer, plus the section's findings.</summary>
    sealed class Writer(ReportWriter w)
    {
        public List<string> Findings { get; } = [];
        public void H(int level, string text) => w.Heading(level, text);
        public void P(string text) => w.Paragraph(text);
        public void List(IEnumerable<string> items) => w.List(items);
        public void Figure(Chart chart, string name, string caption) => w.Figure(chart, name, caption);
        public void Table(CsvTable table, string name, string? caption, bool show = true) => w.Table(table, name, caption, show);
    }
}
