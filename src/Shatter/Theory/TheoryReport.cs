using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Shatter.Theory;

/// <summary>
/// The theory section of the report as one self-contained page, DIR/theory.html: test error and RKHS
/// norm against label noise (PNG plots made by ScottPlot, embedded as data URIs) with their table, and
/// the Theorem 1 expressivity table. Each command saves its figures as JSON beside the page
/// (theory-kernel.json, theory-expressivity.json) and the page is rewritten from whichever exist, so
/// <c>shatter kernel --report DIR</c> and <c>shatter expressivity --report DIR</c> fill one page.
/// </summary>
public static class TheoryReport
{
    public const string PageName = "theory.html";
    const string KernelFile = "theory-kernel.json";
    const string ExpressivityFile = "theory-expressivity.json";

    /// <summary>Adds the rows to DIR/theory-kernel.json (replacing rows of the same setting) and rewrites the page.</summary>
    public static void SaveKernel(string dir, IReadOnlyList<KernelResult> rows) =>
        Save(dir, KernelFile, rows, r => (r.Dataset, r.Features, r.Kernel, r.TrainSize, r.TestSize, r.LabelNoise),
            list => list.OrderBy(r => r.Features).ThenBy(r => r.TrainSize).ThenBy(r => r.LabelNoise).ToList());

    /// <summary>Adds the rows to DIR/theory-expressivity.json (replacing rows of the same setting) and rewrites the page.</summary>
    public static void SaveExpressivity(string dir, IReadOnlyList<ExpressivityResult> rows) =>
        Save(dir, ExpressivityFile, rows, r => (r.Source, r.N, r.D, r.Deep?.Depth ?? 1),
            list => list.OrderBy(r => r.Source).ThenBy(r => r.N).ToList());

    /// <summary>The lock file that makes each read-modify-write of the JSON files and the page one at a time across processes.</summary>
    public const string LockName = ".theory.lock";

    static void Save<T, TKey>(string dir, string file, IReadOnlyList<T> rows, Func<T, TKey> key, Func<IEnumerable<T>, List<T>> order) where T : class
    {
        Directory.CreateDirectory(dir);
        using var exclusive = Exclusive(dir); // two commands reporting into one folder: each keeps the other's rows
        var path = Path.Combine(dir, file);
        var keys = rows.Select(key).ToHashSet();
        var kept = (Read<List<T>>(path) ?? []).Where(r => !keys.Contains(key(r)));
        AtomicFile.WriteAllText(path, Json.Serialize(order(kept.Concat(rows))));
        var kernel = Read<List<KernelResult>>(Path.Combine(dir, KernelFile));
        var expressivity = Read<List<ExpressivityResult>>(Path.Combine(dir, ExpressivityFile));
        AtomicFile.WriteAllText(Path.Combine(dir, PageName), Render(kernel, expressivity));
    }

    /// <summary>Waits for the folder's lock (an exclusive flock on <see cref="LockName"/>, dropped when the holder exits).</summary>
    static FileStream Exclusive(string dir)
    {
        var path = Path.Combine(dir, LockName);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (File.Exists(path))
            {
                // held by another writer: an update takes seconds at most
                if (waited.Elapsed > LockPatience)
                    throw new ShatterException($"another shatter process has held {path} for over {LockPatience.TotalMinutes:0} minutes; wait for it to finish, or report into another folder.", e);
                Thread.Sleep(20);
            }
        }
    }

    static readonly TimeSpan LockPatience = TimeSpan.FromMinutes(5);

    static T? Read<T>(string path) where T : class =>
        File.Exists(path) ? JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json.Options) : null;

    /// <summary>The HTML page for the figures present (either may be null).</summary>
    public static string Render(IReadOnlyList<KernelResult>? kernel, IReadOnlyList<ExpressivityResult>? expressivity) =>
        new StringBuilder()
            .Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Shatter: theory</title><style>")
            .Append("body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}table{border-collapse:collapse;margin:1em 0}")
            .Append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}img{max-width:48%;margin-right:1%}</style></head><body>")
            .Append("<h1>Theory: Theorem 1 and minimum-norm kernel interpolation</h1>")
            .Append(Body(kernel, expressivity))
            .Append("</body></html>").ToString();

    /// <summary>
    /// The theory section for the main report: the results that <c>shatter kernel</c> and
    /// <c>shatter expressivity</c> saved into <paramref name="dir"/> with <c>--report</c>, or null when there are none.
    /// </summary>
    public static string? Section(string dir)
    {
        var kernel = Read<List<KernelResult>>(Path.Combine(dir, KernelFile));
        var expressivity = Read<List<ExpressivityResult>>(Path.Combine(dir, ExpressivityFile));
        return kernel is { Count: > 0 } || expressivity is { Count: > 0 } ? Body(kernel, expressivity) : null;
    }

    /// <summary>The sections (h2 and below) for the figures present.</summary>
    static string Body(IReadOnlyList<KernelResult>? kernel, IReadOnlyList<ExpressivityResult>? expressivity)
    {
        var html = new StringBuilder();
        if (kernel is { Count: > 0 })
        {
            var k = kernel[0];
            html.Append("<h2>Kernel interpolation: error and norm against label noise</h2>")
                .Append($"<p>{E(k.Dataset)}, {k.TestSize} test images, kernel {E(k.Kernel)}, ridge {k.Ridge.ToString(CultureInfo.InvariantCulture)}. ")
                .Append("Every fit interpolates its labels (training error 0); fitting noisier labels costs a larger RKHS norm and generalizes worse.</p>");
            var series = kernel.GroupBy(r => $"{r.Features.Split(' ')[0]}, n = {r.TrainSize}").ToList();
            html.Append(Img(Plot(series, r => 100 * r.TestError, "test error (%)", "Test error")))
                .Append(Img(Plot(series, r => r.RkhsNorm, "RKHS norm √(αᵀKα)", "Norm of the interpolant")));
            html.Append("<table><tr><th>features</th><th>n</th><th>label noise</th><th>labels changed</th><th>train error</th><th>test error</th><th>RKHS norm</th><th>relative residual</th><th>kernel s</th><th>solve s</th></tr>");
            foreach (var r in kernel)
                html.Append($"<tr><td>{E(r.Features)}</td><td>{r.TrainSize}</td><td>{F(r.LabelNoise, "0.##")}</td><td>{F(100 * r.FractionChanged, "0.0")}%</td><td>{F(100 * r.TrainError, "0.00")}%</td><td>{F(100 * r.TestError, "0.00")}%</td>")
                    .Append($"<td>{F(r.RkhsNorm, "0.0")}</td><td>{F(r.RelativeResidual, "0.0e0")}</td><td>{F(r.KernelSeconds, "0.0")}</td><td>{F(r.SolveSeconds, "0.0")}</td></tr>");
            html.Append("</table>");
        }
        if (expressivity is { Count: > 0 })
        {
            html.Append("<h2>Theorem 1: a two-layer ReLU network with 2n + d weights fits any labels</h2>")
                .Append("<p>c(x) = Σ<sub>j</sub> w<sub>j</sub>·max(⟨a,x⟩ − b<sub>j</sub>, 0), b<sub>j</sub> at the midpoints of the sorted projections, w = A⁻¹y by forward substitution. ")
                .Append("Relative residual = max|c(x<sub>i</sub>) − y<sub>i</sub>| / max|y<sub>i</sub>|; exact = every output rounds to its label.</p>");
            html.Append("<table><tr><th>points</th><th>n</th><th>d</th><th>weights</th><th>float64 residual</th><th>exact</th><th>smallest diagonal</th><th>κ₁(A)</th><th>float32 residual</th><th>float32 rounds</th><th>test accuracy</th><th>depth-k</th></tr>");
            foreach (var r in expressivity)
                html.Append($"<tr><td>{E(r.Source)}</td><td>{r.N}</td><td>{r.D}</td><td>{r.Weights}</td><td>{G(r.RelativeResidual)}</td><td>{(r.Exact ? "yes" : "no")}</td>")
                    .Append($"<td>{G(r.Float64.SmallestDiagonal)}</td><td>{G(r.Float64.ConditionEstimate)}</td><td>{G(r.Float32RelativeResidual)}</td><td>{F(100 * r.Float32.FractionRounded, "0.00")}%</td>")
                    .Append($"<td>{(r.Test is null ? "—" : F(100 * r.Test.Accuracy, "0.0") + "%")}</td><td>{(r.Deep is null ? "—" : $"k = {r.Deep.Depth}: {G(r.Deep.RelativeResidual)}")}</td></tr>");
            html.Append("</table>");
        }
        return html.ToString();
    }

    static byte[] Plot(List<IGrouping<string, KernelResult>> series, Func<KernelResult, double> y, string yLabel, string title)
    {
        var plot = new ScottPlot.Plot();
        foreach (var group in series)
        {
            var rows = group.OrderBy(r => r.LabelNoise).ToArray();
            var line = plot.Add.Scatter(rows.Select(r => r.LabelNoise).ToArray(), rows.Select(y).ToArray());
            line.LineWidth = 2;
            line.MarkerSize = 8;
            line.LegendText = group.Key;
        }
        if (series.Count > 1) plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        plot.Title(title);
        plot.XLabel("label noise");
        plot.YLabel(yLabel);
        return plot.GetImageBytes(520, 380, ScottPlot.ImageFormat.Png);
    }

    static string Img(byte[] png) => $"<img alt=\"plot\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\">";
    static string E(string s) => WebUtility.HtmlEncode(s);
    static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
    static string G(double? v) => v is null ? "—" : v.Value.ToString("G3", CultureInfo.InvariantCulture);
}
