using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shatter.Corruptions;
using Shatter.Results;
using Shatter.Training;

namespace Shatter.Reporting;

/// <summary>
/// Renders the report from the results database alone: one self-contained HTML page (index.html, PNGs
/// embedded as data URIs), every figure as PNG and SVG under figures/, every table as CSV under tables/.
/// Sections: a header (dataset, scale, hardware, threads, versions, seeds, departures from the paper),
/// Figure 1a/1b/1c (spec figure1), Table 1 beside the paper's numbers (spec table1), Figure 2b (spec
/// figure2), per-example fit (any run with partially corrupted labels) and the list of runs. Where several
/// seeds ran, curves carry a min–max band and tables a range.
/// </summary>
public sealed class ReportBuilder
{
    /// <summary>A stored run with its parsed configuration and summary.</summary>
    sealed record Run(RunRecord Record, TrainConfig Config, TrainSummary? Summary)
    {
        public string Model => Config.Model;
        public bool Done => Record.Done && Summary is not null;

        /// <summary>The run's randomization: its grid label where the spec names one, else derived from the config.</summary>
        public string Randomization => Record.Point.GetValueOrDefault("randomization") ?? Derived(Config);

        static string Derived(TrainConfig c) => c.Inputs switch
        {
            InputMode.Shuffled => "shuffled pixels",
            InputMode.Random => "random pixels",
            InputMode.Gaussian => "gaussian",
            _ => c.LabelNoise switch { 0 => "true labels", 1 => "random labels", var p => $"label noise {p.ToString(CultureInfo.InvariantCulture)}" },
        };
    }

    readonly ResultsStore store;
    readonly string outDir;
    readonly string scale;
    readonly StringBuilder body = new();
    readonly List<string> figures = [], tables = [], findings = [];

    ReportBuilder(ResultsStore store, string outDir, string scale)
    {
        this.store = store;
        this.outDir = outDir;
        this.scale = scale;
    }

    /// <summary>Writes the report of <paramref name="scale"/> (or of the only scale in the store) to <paramref name="outDir"/>.</summary>
    public static ReportOutcome Build(ResultsStore store, string outDir, string? scale = null)
    {
        var scales = store.Sections().Select(s => s.Scale).Distinct().ToList();
        if (scales.Count == 0) throw new ShatterException($"the results database {store.Path} holds no runs; run 'shatter sweep' first.");
        if (scale is null && scales.Count > 1)
            throw new ShatterException($"the results database holds the scales {string.Join(", ", scales)}; choose one with --scale.");
        scale ??= scales[0];
        if (!scales.Contains(scale))
            throw new ShatterException($"the results database holds no runs at scale '{scale}'; use one of {string.Join(", ", scales)}.");
        return new ReportBuilder(store, outDir, scale).Write();
    }

    ReportOutcome Write()
    {
        var all = store.Runs(scale: scale).Select(r => new Run(r, r.Config, r.Summary)).ToList();
        List<Run> Spec(string name) => [.. all.Where(r => r.Record.Spec == name)];
        var distinct = all.GroupBy(r => r.Record.Hash).Select(g => g.First()).ToList();

        Header(distinct);
        if (Spec("figure1") is { Count: > 0 } f1) Figure1(f1);
        if (Spec("table1") is { Count: > 0 } t1) Table1(t1);
        if (Spec("figure2") is { Count: > 0 } f2) Figure2(f2);
        if (Spec("noise") is { Count: > 0 } nz) body.Append(NoiseSection.Write([.. nz.Where(r => r.Done).Select(r => (r.Config, r.Summary!))], outDir, figures, tables, findings));
        // Section 5 and Theorem 1: what `shatter kernel|expressivity --report <results folder>` saved beside the database
        if (Theory.TheoryReport.Section(Path.GetDirectoryName(Path.GetFullPath(store.Path))!) is { } theory) body.Append(theory);
        PerExampleFit(distinct);
        RunList(all);

        var html = Page(body.ToString());
        var path = Path.Combine(outDir, "index.html");
        AtomicFile.WriteAllText(path, html);
        return new ReportOutcome(path, figures, tables, findings);
    }

    // --- header --------------------------------------------------------------------------------

    void Header(IReadOnlyList<Run> runs)
    {
        var done = runs.Where(r => r.Done).ToList();
        var configs = runs.Select(r => r.Config).ToList();
        H(1, "Understanding deep learning requires rethinking generalization — reproduction");
        P($"Zhang, Bengio, Hardt, Recht and Vinyals (ICLR 2017), reproduced by Shatter from {Esc(Path.GetFileName(store.Path))} at scale <b>{Esc(scale)}</b>: {done.Count} of {runs.Count} runs finished.", raw: true);
        var hosts = runs.Select(r => r.Record.HostJson).Where(h => h is not null).Distinct()
            .Select(h => JsonSerializer.Deserialize<Dictionary<string, string>>(h!)!)
            .Select(h => $"{h.GetValueOrDefault("cpu")} ({h.GetValueOrDefault("logical_cores")} logical cores), {h.GetValueOrDefault("os")}, {h.GetValueOrDefault("dotnet")}")
            .Distinct().ToList();
        var versions = done.Select(r => Versions(r.Record.RunJson)).Where(v => v.Length > 0).Distinct().ToList();
        var rows = new List<(string, string)>
        {
            ("dataset", string.Join(", ", configs.Select(c => c.Dataset).Distinct())),
            ("scale", scale),
            ("hardware", hosts.Count == 0 ? "–" : string.Join("; ", hosts)),
            ("device", Join(done.Select(r => r.Summary!.Device))),
            ("threads", Join(done.Select(r => r.Summary!.Threads == 0 ? "libtorch default" : r.Summary.Threads.ToString(CultureInfo.InvariantCulture)))),
            ("versions", versions.Count == 0 ? "–" : string.Join("; ", versions)),
            ("seeds", Join(configs.Select(c => c.Seed.ToString(CultureInfo.InvariantCulture)))),
            ("specs", Join(runs.Select(r => r.Record.Spec))),
        };
        KeyValues(rows);
        H(3, "Departures from the paper's setup");
        List(Departures.Of(configs));
    }

    static string Join(IEnumerable<string> values) => values.Distinct().ToList() is { Count: > 0 } l ? string.Join(", ", l) : "–";

    /// <summary>The versions object of run.json, as "name version" pairs, if the trainer wrote one.</summary>
    static string Versions(string? runJson)
    {
        if (runJson is null) return "";
        try
        {
            var node = JsonNode.Parse(runJson)?["versions"];
            return node switch
            {
                JsonObject o => string.Join(", ", o.Select(p => $"{p.Key} {p.Value}")),
                JsonValue v => v.ToString(),
                _ => "",
            };
        }
        catch (JsonException)
        {
            return "";
        }
    }

    // --- Figure 1 -------------------------------------------------------------------------------

    void Figure1(List<Run> runs)
    {
        H(2, "Figure 1: fitting random labels and random pixels");
        var done = runs.Where(r => r.Done).ToList();
        var models = runs.Select(r => r.Model).Distinct().ToList();

        // 1a: training loss against thousands of steps, one curve per randomization, per model
        foreach (var model in models)
        {
            var chart = new Chart($"Figure 1a: training loss ({model})", "thousands of steps", "average training loss");
            foreach (var group in done.Where(r => r.Model == model).GroupBy(r => r.Randomization).OrderBy(g => g.Min(r => r.Record.Order)))
            {
                var curves = group.Select(r => LossCurve(r.Record.Hash)).Where(c => c.Count > 0).ToList();
                var (xs, mean, lo, hi) = Aggregate(curves);
                chart.Line(group.Key, [.. xs.Select(x => x / 1000)], mean, lo, hi);
            }
            Figure(chart, $"figure1a-{model}", $"Average training loss (binned over steps) for each randomization, {model}. Paper: Inception on CIFAR-10; every curve goes to zero, random labels last.");
        }

        var summary = new CsvTable("model", "randomization", "seed", "label_noise", "inputs", "fitted", "steps_to_fit", "epochs_to_fit", "steps", "final_train_accuracy", "final_test_accuracy", "test_error", "wall_seconds");
        foreach (var r in done)
            summary.Add(r.Model, r.Randomization, r.Config.Seed, r.Config.LabelNoise, Name(r.Config.Inputs), r.Summary!.Fitted, r.Summary.StepsToFit, r.Summary.EpochsToFit,
                r.Summary.Steps, r.Summary.FinalTrainAccuracy, r.Summary.FinalTestAccuracy, 1 - r.Summary.FinalTestAccuracy, r.Summary.WallSeconds);
        Table(summary, "figure1", "Every figure-1 run: whether it fitted its training set, when, and its test error.");

        // 1b and 1c: label-noise runs only (true inputs)
        var noise = done.Where(r => r.Config.Inputs == InputMode.True).ToList();
        var relative = new CsvTable("model", "label_noise", "seeds", "relative_time_to_fit", "min", "max", "all_fitted");
        var error = new CsvTable("model", "label_noise", "seeds", "test_error", "min", "max");
        var chartB = new Chart("Figure 1b: time to fit relative to true labels", "label corruption", "steps to fit / steps to fit true labels");
        var chartC = new Chart("Figure 1c: test error", "label corruption", "test error");
        for (int m = 0; m < models.Count; m++)
        {
            var model = models[m];
            var ofModel = noise.Where(r => r.Model == model).ToList();
            var reference = ofModel.Where(r => r.Config.LabelNoise == 0 && r.Summary!.StepsToFit is > 0).ToDictionary(r => r.Config.Seed, r => (double)r.Summary!.StepsToFit!.Value);
            var levels = ofModel.Select(r => r.Config.LabelNoise).Distinct().Order().ToList();
            var b = new List<(double P, Spread S)>();
            var c = new List<(double P, Spread S)>();
            foreach (var p in levels)
            {
                var at = ofModel.Where(r => r.Config.LabelNoise == p).ToList();
                // an unfitted run counts with the steps it ran: a lower bound, flagged in the CSV
                var rel = Spread.Of(at.Where(r => reference.ContainsKey(r.Config.Seed))
                    .Select(r => (r.Summary!.StepsToFit ?? r.Summary.Steps) / reference[r.Config.Seed]));
                var err = Spread.Of(at.Select(r => 1 - r.Summary!.FinalTestAccuracy));
                relative.Add(model, p, at.Count, rel.Mean, rel.Min, rel.Max, at.All(r => r.Summary!.Fitted));
                error.Add(model, p, at.Count, err.Mean, err.Min, err.Max);
                if (rel.Count > 0) b.Add((p, rel));
                c.Add((p, err));
            }
            chartB.Line(model, [.. b.Select(t => t.P)], [.. b.Select(t => t.S.Mean)], [.. b.Select(t => t.S.Min)], [.. b.Select(t => t.S.Max)], markers: true, colorIndex: m);
            chartC.Line(model, [.. c.Select(t => t.P)], [.. c.Select(t => t.S.Mean)], [.. c.Select(t => t.S.Min)], [.. c.Select(t => t.S.Max)], markers: true, colorIndex: m);
        }
        chartC.Reference("chance (90%)", 0.9, 7);
        chartC.LimitsY(0, 1);
        Figure(chartB, "figure1b", "Steps until 100% training accuracy, relative to the true-label run of the same model and seed, against the fraction of corrupted labels (1 = random labels). Paper: a small constant factor.");
        Table(relative, "figure1b", null);
        Figure(chartC, "figure1c", "Test error (true test labels) at the end of training against label corruption. Paper: rises steadily towards chance, 90%.");
        Table(error, "figure1c", null);
        Figure1Findings(runs, done, models);
    }

    void Figure1Findings(List<Run> runs, List<Run> done, List<string> models)
    {
        var lines = new List<string>();
        var unfitted = done.Where(r => !r.Summary!.Fitted).ToList();
        lines.Add(unfitted.Count == 0 && done.Count == runs.Count
            ? $"✓ every mode reached {Pct(done.Select(r => r.Config.FitTarget).DefaultIfEmpty(1).Min())} training accuracy ({done.Count} runs)."
            : $"✗ not every run fitted its training set: {string.Join("; ", unfitted.Select(r => $"{r.Model} {r.Randomization} reached {Pct(r.Summary!.FinalTrainAccuracy)} in {r.Summary.Epochs} epochs"))}{(done.Count < runs.Count ? $"; {runs.Count - done.Count} runs not finished" : "")}.");
        foreach (var model in models)
        {
            var ofModel = done.Where(r => r.Model == model && r.Config.Inputs == InputMode.True).ToList();
            var t = Spread.Of(ofModel.Where(r => r.Config.LabelNoise == 0).Select(r => (double)(r.Summary!.StepsToFit ?? double.NaN)));
            var rl = Spread.Of(ofModel.Where(r => r.Config.LabelNoise == 1).Select(r => (double)(r.Summary!.StepsToFit ?? double.NaN)));
            if (t.Count > 0 && rl.Count > 0)
                lines.Add($"{model}: random labels took {rl.Mean / t.Mean:0.0}× the steps of true labels ({rl.Mean:0} vs {t.Mean:0}).");
            // paper: random pixels and gaussian inputs fit faster than random labels
            foreach (var mode in new[] { InputMode.Random, InputMode.Gaussian })
            {
                var m = Spread.Of(done.Where(r => r.Model == model && r.Config.Inputs == mode).Select(r => (double)(r.Summary!.StepsToFit ?? double.NaN)));
                if (m.Count > 0 && rl.Count > 0)
                    lines.Add($"{(m.Mean < rl.Mean ? "✓" : "✗")} {model}: {Name(mode)} inputs fitted in {m.Mean:0} steps, {(m.Mean < rl.Mean ? "faster" : "not faster")} than random labels ({rl.Mean:0}).");
            }
            var errors = ofModel.GroupBy(r => r.Config.LabelNoise).OrderBy(g => g.Key)
                .Select(g => (P: g.Key, E: g.Average(r => 1 - r.Summary!.FinalTestAccuracy))).ToList();
            if (errors.Count >= 2)
            {
                bool rising = errors.Zip(errors.Skip(1)).All(p => p.Second.E >= p.First.E - 0.02);
                lines.Add($"{(rising ? "✓" : "✗")} {model}: test error {string.Join(" → ", errors.Select(e => Pct(e.E)))} as label noise goes {string.Join(" → ", errors.Select(e => e.P.ToString(CultureInfo.InvariantCulture)))}{(rising ? " (rising)" : " (not monotone)")}.");
            }
        }
        findings.AddRange(lines);
        H(3, "Findings");
        List(lines);
    }

    /// <summary>Per-step training loss, averaged in bins of about 1/400 of the run (the paper plots average loss).</summary>
    List<(double X, double Y)> LossCurve(string hash)
    {
        var steps = store.Steps(hash);
        if (steps.Count == 0) return [.. store.Epochs(hash).Select(e => ((double)e.Step, e.TrainLoss))];
        long width = Math.Max(1, steps[^1].Step / 400);
        return [.. steps.GroupBy(s => s.Step / width).Select(g => (width == 1 ? g.First().Step : (g.Key + 0.5) * width, g.Average(s => s.Loss)))];
    }

    /// <summary>Mean and min–max over curves, at the x values the first curve has and every curve reaches.</summary>
    static (double[] X, double[] Mean, double[] Low, double[] High) Aggregate(IReadOnlyList<List<(double X, double Y)>> curves)
    {
        if (curves.Count == 0) return ([], [], [], []);
        int n = curves.Min(c => c.Count);
        var xs = new double[n];
        var mean = new double[n];
        var low = new double[n];
        var high = new double[n];
        for (int i = 0; i < n; i++)
        {
            var s = Spread.Of(curves.Select(c => c[i].Y));
            (xs[i], mean[i], low[i], high[i]) = (curves[0][i].X, s.Mean, s.Min, s.Max);
        }
        return (xs, mean, low, high);
    }

    // --- Table 1 --------------------------------------------------------------------------------

    void Table1(List<Run> runs)
    {
        H(2, "Table 1: explicit regularization, augmentation and random labels");
        var table = new CsvTable("model", "setting", "crop", "weight_decay", "random_labels", "seeds", "train_accuracy", "test_accuracy",
            "train_min", "train_max", "test_min", "test_max", "paper_train_accuracy", "paper_test_accuracy");
        var groups = runs.Where(r => r.Done).GroupBy(r => (r.Model, Setting: r.Record.Point.GetValueOrDefault("regularization") ?? Setting(r.Config)))
            .OrderBy(g => g.Min(r => r.Record.Order));
        foreach (var g in groups)
        {
            var c = g.First().Config;
            bool random = c.LabelNoise >= 1;
            var paper = PaperTable1.Find(c.Model, c.AugmentCrop, c.WeightDecay > 0, random);
            var train = Spread.Of(g.Select(r => r.Summary!.FinalTrainAccuracy * 100));
            var test = Spread.Of(g.Select(r => r.Summary!.FinalTestAccuracy * 100));
            table.Add(g.Key.Model, g.Key.Setting, c.AugmentCrop, c.WeightDecay > 0 ? c.WeightDecay : 0.0, random, g.Count(), train.Mean, test.Mean,
                train.Min, train.Max, test.Min, test.Max, paper?.Train, paper?.Test);
        }
        P("Final training and test accuracy (%) of each setting, beside the paper's CIFAR-10 numbers (the paper has no row for some settings, e.g. MLPs with crops). Train accuracy is measured on the unaugmented training set.");
        Table(table, "table1", null);
    }

    static string Setting(TrainConfig c) => c.LabelNoise >= 1 ? "random labels"
        : (c.AugmentCrop, c.WeightDecay > 0) switch { (true, true) => "crop + weight decay", (true, false) => "crop", (false, true) => "weight decay", _ => "none" };

    // --- Figure 2b ------------------------------------------------------------------------------

    void Figure2(List<Run> runs)
    {
        H(2, "Figure 2b: batch normalization and early stopping");
        var chart = new Chart("Figure 2b: accuracy during training", "thousands of steps", "accuracy");
        var curves = new CsvTable("model", "seed", "epoch", "step", "train_accuracy", "test_accuracy");
        var best = new CsvTable("model", "seeds", "best_test_accuracy", "best_epoch", "final_test_accuracy", "final_train_accuracy");
        var models = runs.Select(r => r.Model).Distinct().ToList();
        for (int m = 0; m < models.Count; m++)
        {
            var ofModel = runs.Where(r => r.Done && r.Model == models[m]).ToList();
            if (ofModel.Count == 0) continue;
            var epochs = ofModel.Select(r => store.Epochs(r.Record.Hash)).ToList();
            foreach (var (r, e) in ofModel.Zip(epochs))
                foreach (var row in e) curves.Add(models[m], r.Config.Seed, row.Epoch, row.Step, row.TrainAccuracy, row.TestAccuracy);
            var train = Aggregate([.. epochs.Select(e => e.Select(x => (x.Step / 1000.0, x.TrainAccuracy)).ToList())]);
            var test = Aggregate([.. epochs.Select(e => e.Select(x => (x.Step / 1000.0, x.TestAccuracy)).ToList())]);
            chart.Line($"{models[m]} train", train.X, train.Mean, train.Low, train.High, colorIndex: m);
            chart.Line($"{models[m]} test", test.X, test.Mean, test.Low, test.High, dashed: true, colorIndex: m);
            var bestAcc = Spread.Of(ofModel.Select(r => r.Summary!.BestTestAccuracy));
            chart.Reference($"{models[m]} best test {Pct(bestAcc.Mean)}", bestAcc.Mean, m);
            best.Add(models[m], ofModel.Count, bestAcc.Mean, ofModel[0].Summary!.BestTestEpoch, Spread.Of(ofModel.Select(r => r.Summary!.FinalTestAccuracy)).Mean,
                Spread.Of(ofModel.Select(r => r.Summary!.FinalTrainAccuracy)).Mean);
        }
        chart.LimitsY(0, 1.02);
        Figure(chart, "figure2b", "Training (solid) and test (dashed) accuracy during training, with the best test accuracy seen (dotted): what early stopping could have reached. Paper: batch norm stabilises training and changes test accuracy by 3–4%.");
        Table(best, "figure2b-best", null);
        Table(curves, "figure2b", null, show: false);
    }

    // --- per-example fit ------------------------------------------------------------------------

    void PerExampleFit(IReadOnlyList<Run> runs)
    {
        var noisy = runs.Where(r => r.Done && r.Config.LabelNoise is > 0 and < 1 && r.Config.Inputs == InputMode.True)
            .GroupBy(r => (r.Model, r.Config.LabelNoise)).Select(g => g.OrderBy(r => r.Config.Seed).First())
            .OrderBy(r => r.Model).ThenBy(r => r.Config.LabelNoise).ToList();
        if (noisy.Count == 0) return;
        H(2, "Per-example fit: clean versus corrupted examples");
        var chart = new Chart("When examples are first fitted for good", "epoch", "fraction of examples fitted");
        var table = new CsvTable("model", "label_noise", "seed", "group", "examples", "median_first_fit_epoch", "never_fitted");
        int color = 0;
        foreach (var r in noisy)
        {
            var examples = store.Examples(r.Record.Hash);
            if (examples.Count == 0) continue;
            int last = Math.Max(1, r.Summary!.Epochs);
            foreach (var (group, dashed) in new[] { ("clean", false), ("corrupted", true) })
            {
                var of = examples.Where(x => x.LabelChanged == (group == "corrupted")).ToList();
                if (of.Count == 0) continue;
                var xs = Enumerable.Range(0, last + 1).Select(e => (double)e).ToArray();
                var ys = xs.Select(e => of.Count(x => x.FirstFitEpoch >= 0 && x.FirstFitEpoch <= e) / (double)of.Count).ToArray();
                chart.Line($"{r.Model} p={r.Config.LabelNoise.ToString(CultureInfo.InvariantCulture)} {group}", xs, ys, dashed: dashed, colorIndex: color);
                var fitted = of.Where(x => x.FirstFitEpoch >= 0).Select(x => x.FirstFitEpoch).Order().ToList();
                table.Add(r.Model, r.Config.LabelNoise, r.Config.Seed, group, of.Count, fitted.Count == 0 ? null : fitted[fitted.Count / 2], of.Count - fitted.Count);
            }
            color++;
        }
        chart.LimitsY(0, 1.02);
        Figure(chart, "per-example-fit", "Fraction of training examples that are classified correctly from that epoch on, clean (solid) versus corrupted labels (dashed): the network fits the clean examples first and memorises the corrupted ones later.");
        Table(table, "per-example-fit", null);
    }

    // --- runs -----------------------------------------------------------------------------------

    void RunList(IReadOnlyList<Run> runs)
    {
        H(2, "Runs");
        var table = new CsvTable("spec", "hash", "point", "status", "attempts", "started_at", "finished_at", "epochs", "fitted", "final_train_accuracy", "final_test_accuracy", "wall_seconds", "error");
        foreach (var r in runs)
            table.Add(r.Record.Spec, r.Record.Hash, string.Join("; ", r.Record.Point.Select(p => $"{p.Key}={p.Value}")), r.Record.Status, r.Record.Attempts,
                r.Record.StartedAt, r.Record.FinishedAt, r.Summary?.Epochs, r.Summary?.Fitted, r.Summary?.FinalTrainAccuracy, r.Summary?.FinalTestAccuracy,
                r.Summary?.WallSeconds, r.Record.Error);
        Table(table, "runs", null);
    }

    // --- HTML -----------------------------------------------------------------------------------

    void Figure(Chart chart, string name, string caption)
    {
        var png = chart.Save(outDir, name);
        figures.Add(Path.Combine(outDir, "figures", name + ".png"));
        figures.Add(Path.Combine(outDir, "figures", name + ".svg"));
        body.Append(CultureInfo.InvariantCulture, $"<figure><img alt=\"{Esc(name)}\" width=\"{Chart.Width}\" height=\"{Chart.Height}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\"><figcaption>{Esc(caption)} (<a href=\"figures/{name}.svg\">SVG</a>, <a href=\"figures/{name}.png\">PNG</a>)</figcaption></figure>\n");
    }

    void Table(CsvTable table, string name, string? caption, bool show = true)
    {
        var path = Path.Combine(outDir, "tables", name + ".csv");
        AtomicFile.WriteAllText(path, table.ToCsv());
        tables.Add(path);
        if (caption is not null) P(caption);
        if (show)
        {
            body.Append("<div class=\"table\"><table><thead><tr>");
            foreach (var c in table.Columns) body.Append(CultureInfo.InvariantCulture, $"<th>{Esc(c.Replace('_', ' '))}</th>");
            body.Append("</tr></thead><tbody>\n");
            foreach (var row in table.Rows)
            {
                body.Append("<tr>");
                foreach (var cell in row) body.Append(CultureInfo.InvariantCulture, $"<td>{Esc(Shorten(cell))}</td>");
                body.Append("</tr>\n");
            }
            body.Append("</tbody></table></div>\n");
        }
        body.Append(CultureInfo.InvariantCulture, $"<p class=\"csv\"><a href=\"tables/{name}.csv\">{name}.csv</a></p>\n");
    }

    /// <summary>Numbers with many digits shortened to 4 significant places in the HTML (the CSV keeps them).</summary>
    static string Shorten(string cell) =>
        cell.Length > 7 && double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && cell.Contains('.')
            ? x.ToString("G4", CultureInfo.InvariantCulture) : cell;

    void H(int level, string text) => body.Append(CultureInfo.InvariantCulture, $"<h{level}>{Esc(text)}</h{level}>\n");

    void P(string text, bool raw = false) => body.Append(CultureInfo.InvariantCulture, $"<p>{(raw ? text : Esc(text))}</p>\n");

    void List(IEnumerable<string> items)
    {
        body.Append("<ul>");
        foreach (var i in items) body.Append(CultureInfo.InvariantCulture, $"<li>{Esc(i)}</li>");
        body.Append("</ul>\n");
    }

    void KeyValues(IEnumerable<(string Key, string Value)> rows)
    {
        body.Append("<table class=\"header\">");
        foreach (var (k, v) in rows) body.Append(CultureInfo.InvariantCulture, $"<tr><th>{Esc(k)}</th><td>{Esc(v)}</td></tr>");
        body.Append("</table>\n");
    }

    static string Esc(string? s) => WebUtility.HtmlEncode(s ?? "");

    static string Pct(double x) => (x * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    static string Name(InputMode mode) => JsonNamingPolicy.KebabCaseLower.ConvertName(mode.ToString());

    /// <summary>The page: inline style, the body, and a script that records how many images loaded (checked by the test).</summary>
    static string Page(string content) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>Shatter report</title>
        <style>
        body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; background: #fff; }
        h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
        table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; }
        th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: left; }
        table.header th { background: #f4f4f4; }
        div.table { overflow-x: auto; max-height: 30em; }
        figure { margin: 1em 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
        figcaption, p.csv { font-size: 0.85em; color: #555; }
        </style>
        </head>
        <body>
        {{content}}
        <script>
        // for the headless-browser test: how many images there are and how many decoded
        window.addEventListener('load', function () {
          var images = Array.prototype.slice.call(document.images);
          document.body.dataset.images = String(images.length);
          document.body.dataset.imagesLoaded = String(images.filter(function (i) { return i.complete && i.naturalWidth > 0; }).length);
        });
        </script>
        </body>
        </html>
        """;
}
