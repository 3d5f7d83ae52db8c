using Shatter.Reporting.Sections;
using Shatter.Results;

namespace Shatter.Reporting;

/// <summary>
/// Renders the report from the results database alone: one self-contained HTML page (index.html, PNGs
/// embedded as data URIs), every figure as PNG and SVG under figures/, every table as CSV under tables/.
/// The page is a list of <see cref="IReportSection"/>s written through one shared <see cref="ReportWriter"/>:
/// the header (dataset, scale, hardware, versions, seeds, departures from the paper), the paper's Figure 1,
/// Table 1 and Figure 2b (specs figure1, table1, figure2), the sections of the specs beyond the paper (noise, regression,
/// beyond), a generic section for every other spec and for each of those (and for the extra axes of a paper spec),
/// adversarial examples and memorization, per-example fit, the theory results saved beside the database, the complexity measures,
/// the runs and their attempts.
/// A report named after an experiment shows that experiment first, says so in its title, and puts the rest
/// of the database under "Other results in this database". Each section's analysis is a set of pure
/// functions (Reporting/Analysis), unit-tested on hand-made runs.
/// </summary>
public sealed class ReportBuilder
{
    const string PaperTitle = "Understanding deep learning requires rethinking generalization";

    /// <summary>The sections of a report, in page order (the header first, the runs last). Add new sections here.</summary>
    public static IReadOnlyList<IReportSection> Sections(ReportContext context) =>
    [
        new HeaderSection(),
        new Figure1Section(),
        new Table1Section(),
        new Figure2Section(),
        new NoiseSection(),
        new RegressionSection(),
        new BeyondSection(),
        new TextSection(),
        new SemiSupervisedSection(),
        new UnsupervisedSection(),
        new RlSection(),
        .. GridSection.For(context),   // after the dedicated sections, so a spec's own findings come first
        new AdversarialSection(),
        new PerExampleFitSection(),
        new TheorySection(),
        new MeasuresSection(),
        new RunsSection(),
        new AttemptsSection(),
    ];

    /// <summary>
    /// Writes the report of <paramref name="scale"/> (or of the only scale in the store) to <paramref name="outDir"/>;
    /// with <paramref name="experiment"/>, the report of that spec first, the rest of the database after it.
    /// </summary>
    /// <param name="resultsFolder">Where results saved beside the database are (default: the SQLite file's folder; give it for PostgreSQL).</param>
    public static ReportOutcome Build(IResultsSource store, string outDir, string? scale = null, string? experiment = null, string? resultsFolder = null)
    {
        var scales = store.Sections().Select(s => s.Scale).Distinct().ToList();
        if (scales.Count == 0) throw new ShatterException($"the results database {store.Path} holds no runs; run 'shatter sweep' first.");
        if (scale is null && experiment is not null)
        {
            var of = store.Sections().Where(s => s.Spec == experiment).Select(s => s.Scale).ToList();
            if (of.Count == 1) scale = of[0];
        }
        if (scale is null && scales.Count > 1)
            throw new ShatterException($"the results database holds the scales {string.Join(", ", scales)}; choose one with --scale.");
        scale ??= scales[0];
        if (!scales.Contains(scale))
            throw new ShatterException($"the results database holds no runs at scale '{scale}'; use one of {string.Join(", ", scales)}.");
        return Build(ReportContext.From(store, scale, resultsFolder), outDir, experiment);
    }

    /// <summary>Writes the report of a context (the runs of one scale) to <paramref name="outDir"/>.</summary>
    public static ReportOutcome Build(ReportContext context, string outDir, string? experiment = null)
    {
        if (experiment is not null && !context.Specs.Contains(experiment))
            throw new ShatterException($"the results database holds no runs of '{experiment}' at scale '{context.Scale}'; use one of {string.Join(", ", context.Specs)} or leave out the experiment.");
        var writer = new ReportWriter(outDir);
        var sections = Sections(context).Where(s => s.Applies(context)).ToList();
        var header = sections.OfType<HeaderSection>().ToList();
        var focused = experiment is null ? [] : sections.Where(s => s.Experiment == experiment).ToList();
        var rest = sections.Except(header).Except(focused).ToList();

        var title = experiment is null
            ? $"{PaperTitle} — reproduction"
            : $"{ExperimentTitle(experiment)} ({context.Scale}) — {(GridSection.PaperAxes.ContainsKey(experiment) ? $"{PaperTitle}, reproduction" : "a Shatter experiment")}";
        writer.Heading(1, title);
        var outcomes = new List<ReportSectionOutcome>();
        void Write(IReportSection s) => outcomes.Add(new ReportSectionOutcome(s.Experiment, s.Title, Record(s, writer, context)));
        foreach (var s in header) Write(s);
        foreach (var s in focused) Write(s);
        // the heading stands over other experiments' sections only; database-wide sections of a one-experiment database are its own
        if (focused.Count > 0 && rest.Any(s => s.Experiment is not null && s.Experiment != experiment))
        {
            writer.Heading(2, "Other results in this database", "other-results");
            writer.Paragraph($"The sections below come from the same database at scale {context.Scale}: other experiments than {experiment} ({string.Join(", ", context.Specs.Where(s => s != experiment))}), then the sections over every run of the database.");
        }
        foreach (var s in rest) Write(s);

        var path = Path.Combine(outDir, "index.html");
        AtomicFile.WriteAllText(path, writer.Page(title));
        return new ReportOutcome(path, writer.Figures, writer.Tables, [.. outcomes.SelectMany(o => o.Findings)], outcomes);
    }

    static IReadOnlyList<string> Record(IReportSection section, ReportWriter writer, ReportContext context)
    {
        var findings = section.Write(context, writer);
        writer.Findings(findings);
        return findings;
    }

    static string ExperimentTitle(string experiment) => experiment switch
    {
        "figure1" => "Figure 1: fitting random labels and random pixels",
        "table1" => "Table 1: regularization and random labels",
        "figure2" => "Figure 2b: batch normalization and early stopping",
        "noise" => "Beyond the paper: structured label noise",
        "regression" => "Beyond the paper: regression",
        "beyond" => "Beyond the paper: other architectures on random labels",
        "text" => "Beyond the paper: randomization tests on text",
        "semisupervised" => "Beyond the paper: unlabelled data against wrong labels",
        "unsupervised" => "Beyond supervised: autoencoders on randomized images",
        "rl" => "Beyond supervised: reinforcement learning against the number of training levels",
        _ => $"Experiment {experiment}",
    };
}
