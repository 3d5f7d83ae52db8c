using Shatter.Measures;
using Shatter.Results;
using Shatter.Reporting.Analysis;

namespace Shatter.Reporting.Sections;

/// <summary>
/// The report section "Traditional complexity measures": each measure against label noise, Kendall's τ of each
/// against the generalization gap, the normalized-margin histograms of true versus random labels (Bartlett et
/// al.'s figure), and the Rademacher and shattering results the database holds. Database-wide; analysis and findings in <see cref="MeasuresAnalysis"/>.
/// </summary>
public sealed class MeasuresSection : IReportSection
{
    public string? Experiment => null;
    public const string SectionTitle = "Traditional complexity measures";
    public string Title => SectionTitle;

    /// <summary>Whether anything was measured: run measures or Rademacher/shattering results in the database (either backend), nothing beside it.</summary>
    public bool Applies(ReportContext context) => context.Measures.Count > 0 || context.Capacity.Any;

    public IReadOnlyList<string> Write(ReportContext context, ReportWriter w)
    {
        var measured = MeasuresAnalysis.Measured(context.Distinct, context.Measures);
        w.Heading(2, Title);
        w.Paragraph("Norm-based, margin-based and flatness measures of each finished run on its own training set and labels (definitions, sources and budgets: docs/measures.md), the empirical Rademacher complexity, and shattering. γ is the 10th percentile of the training margins; conv kernels are reshaped to out × in·k·k; batch norm is folded first.");
        if (measured.Count > 0) Measures(w, measured);
        var capacity = context.Capacity;
        if (capacity.Rademacher.Count > 0) Rademacher(w, capacity.Rademacher);
        if (capacity.Shattering.Count > 0) Shattering(w, capacity.Shattering);
        return [.. MeasuresAnalysis.Findings(measured), .. MeasuresAnalysis.RademacherFindings(capacity.Rademacher), .. MeasuresAnalysis.ShatteringFindings(capacity.Shattering)];
    }

    static void Measures(ReportWriter w, IReadOnlyList<MeasuresAnalysis.MeasuredRun> runs)
    {
        // each measure against label noise, relative to true labels
        var chart = new Chart("Complexity measures against label noise (relative to true labels)", "label corruption", "measure / measure at the lowest noise");
        var table = new CsvTable("measure", "label", "label_noise", "runs", "mean", "relative");
        var series = MeasuresAnalysis.AgainstNoise(runs);
        for (int i = 0; i < series.Count; i++)
        {
            var s = series[i];
            chart.Line(s.Label, [.. s.Points.Select(p => p.Noise)], [.. s.Points.Select(p => p.Relative)], markers: true, colorIndex: i);
            foreach (var p in s.Points) table.Add(s.Name, s.Label, p.Noise, p.Runs, p.Absolute, p.Relative);
        }
        w.Figure(chart, "measures-vs-noise", "Each measure's mean over seeds at each label-noise level (true inputs), divided by its value at the lowest level. A measure that explains generalization should grow with the test error.");
        w.Table(table, "measures-vs-noise", null);

        var tauTable = new CsvTable("measure", "label", "kendall_tau_with_gap", "runs");
        foreach (var t in MeasuresAnalysis.TauWithGap(runs)) tauTable.Add(t.Name, t.Label, t.Tau, t.Runs);
        w.Table(tauTable, "measures-kendall-tau", "Kendall's τ-b between each measure and the generalization gap (final training accuracy − final test accuracy) over every measured run of the report (all randomizations and seeds): +1 ranks the runs exactly as their gap, 0 not at all.");

        // normalized margins: true versus random labels, one colour per kind, one line per seed
        var margins = MeasuresAnalysis.Margins(runs);
        if (margins.Count > 0)
        {
            var hist = new Chart("Normalized margins, true versus random labels", "margin / (R · ‖X‖_F / n)", "fraction of training examples");
            var histTable = new CsvTable("labels", "run", "median_normalized_margin", "p10_normalized_margin");
            var kinds = margins.Select(m => m.Labels).Distinct().ToList();
            foreach (var m in margins)
            {
                hist.Line($"{m.Labels}, seed {m.Run.Config.Seed}", m.Centres, m.Fractions, dashed: m.Labels == "random labels", colorIndex: kinds.IndexOf(m.Labels));
                var p = m.Run.Measures.Series["normalized_margin_percentiles"];
                histTable.Add(m.Labels, m.Run.Hash, p[50], p[10]);
            }
            w.Figure(hist, "normalized-margins", "Distribution of the training margins f_y(x) − max_{j≠y} f_j(x) divided by the spectral complexity R times ‖X‖_F/n (Bartlett et al. 2017, Figure 2), true labels (solid) against random labels (dashed), from the 101 stored percentiles of each run.");
            w.Table(histTable, "normalized-margins", null);
        }

        var per = new CsvTable(["hash", "model", "label_noise", "inputs", "seed", "train_accuracy", "test_accuracy", "gap", "margin_p10", .. MeasuresAnalysis.Shown.Select(m => m.Name)]);
        foreach (var r in runs)
            per.Add([r.Hash, r.Config.Model, r.Config.LabelNoise, r.Config.Inputs, r.Config.Seed, r.Summary.FinalTrainAccuracy, r.Summary.FinalTestAccuracy, r.Gap,
                r.Measures.Value("margin_p10"), .. MeasuresAnalysis.Shown.Select(m => (object?)r.Measures.Value(m.Name))]);
        w.Table(per, "measures-runs", "Every measured run (all measures of a run: its measures.json, or the database's measures table).", show: false);
    }

    static void Rademacher(ReportWriter w, IReadOnlyList<RademacherResult> results)
    {
        var t = new CsvTable("model", "dataset", "n", "draws", "parameters", "epochs", "rademacher", "std", "min", "max", "train_accuracy", "bound_gap", "verdict");
        foreach (var r in results)
            foreach (var p in r.Budgets)
                t.Add(r.Model, r.Dataset, r.TrainSize, r.Draws, r.Parameters, p.Epochs, p.Mean, p.StdDev, p.Min, p.Max, p.MeanTrainAccuracy, p.BoundGap, RademacherExperiment.Verdict(p.BoundGap));
        w.Table(t, "rademacher", "Empirical Rademacher complexity R̂ = mean over draws of (1/n) Σ σᵢ sign(f(xᵢ)) after training a one-output head on random ±1 labels for at most the given epochs, and the bound it implies: test error ≤ training error + R̂ + 3√(ln(2/δ)/(2n)), δ = 0.05.");
    }

    static void Shattering(ReportWriter w, IReadOnlyList<ShatteringResult> results)
    {
        var t = new CsvTable("model", "points", "dimension", "labellings", "all_labellings", "fitted", "shattered", "parameters");
        foreach (var r in results) t.Add(r.Model, r.N, r.D, r.Labellings, r.AllLabellings, r.Fitted, r.Shattered, r.Parameters);
        w.Table(t, "vc", "Shattering: labellings of N random Gaussian points that the MLP (one-output head) fits. All 2^N fitted: an empirical lower bound VC ≥ N.");
    }
}
