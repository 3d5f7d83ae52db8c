using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shatter.Reporting.Analysis;

namespace Shatter.Reporting.Sections;

/// <summary>
/// The report's header: dataset, scale, hardware, threads, versions, seeds, specs, the departures from the
/// paper's setup, and how seeds are shared across randomizations (common random numbers).
/// </summary>
public sealed class HeaderSection : IReportSection
{
    /// <summary>Said once per report: why several runs of one seed fit at the same epoch.</summary>
    public const string CommonRandomNumbers = "Runs with the same seed share their initialization and batch order across randomizations and regularizers (common random numbers: every random choice is derived from the seed and its purpose), so their differences come from the randomization, not the draw — which is also why several runs of one seed can fit at the same epoch.";

    public string? Experiment => null;
    public string Title => "Departures from the paper's setup";

    public bool Applies(ReportContext context) => true;

    public IReadOnlyList<string> Write(ReportContext context, ReportWriter w)
    {
        var runs = context.Distinct;
        var done = runs.Where(r => r.Done).ToList();
        var configs = runs.Select(r => r.Config).ToList();
        var hosts = runs.Select(r => r.Record.HostJson).Where(h => h is not null).Distinct()
            .Select(h => JsonSerializer.Deserialize<Dictionary<string, string>>(h!)!)
            .Select(h => $"{h.GetValueOrDefault("cpu")} ({h.GetValueOrDefault("logical_cores")} logical cores), {h.GetValueOrDefault("os")}, {h.GetValueOrDefault("dotnet")}")
            .Distinct().ToList();
        var versions = done.Select(r => Versions(r.Record.RunJson)).Where(v => v.Length > 0).Distinct().ToList();
        w.Paragraph($"Zhang, Bengio, Hardt, Recht and Vinyals (ICLR 2017), reproduced by Shatter from {Path.GetFileName(context.DatabasePath)} at scale {context.Scale}: {done.Count} of {runs.Count} runs finished.");
        w.KeyValues(
        [
            ("dataset", ReportText.Join(configs.Select(c => c.Dataset))),
            ("scale", context.Scale),
            ("hardware", hosts.Count == 0 ? "–" : string.Join("; ", hosts)),
            ("device", ReportText.Join(done.Select(r => r.Summary!.Device))),
            ("threads", ReportText.Join(done.Select(r => r.Summary!.Threads == 0 ? "libtorch default" : r.Summary.Threads.ToString(CultureInfo.InvariantCulture)))),
            ("versions", versions.Count == 0 ? "–" : string.Join("; ", versions)),
            ("seeds", ReportText.Join(configs.Select(c => c.Seed.ToString(CultureInfo.InvariantCulture)))),
            ("specs", ReportText.Join(runs.Select(r => r.Record.Spec))),
        ]);
        // Diverged and stalled runs are finished results, but not fits: name them where nobody can miss them.
        var findings = new List<string>();
        foreach (var (reason, what) in new[] { ("diverged", "diverged (the training loss became NaN or infinite; they are finished, unfitted results and are not retried)"), ("stalled", "stalled (training accuracy stopped improving before the fit target)") })
            if (done.Where(r => r.Summary!.StopReason == reason).ToList() is { Count: > 0 } stopped)
            {
                var names = stopped.Select(r => $"{r.Record.Spec} {r.Model} {r.Randomization} seed {r.Config.Seed}{(r.Summary!.DivergedStep is { } k ? $" at step {k}" : "")}");
                w.Paragraph($"⚠ {stopped.Count} run{(stopped.Count == 1 ? "" : "s")} {what}: {string.Join("; ", names)}.");
                findings.Add($"⚠ {stopped.Count} run{(stopped.Count == 1 ? "" : "s")} {reason}.");
            }
        w.Heading(3, Title);
        w.List(Departures.Of(configs));
        if (configs.Select(c => c.Seed).Distinct().Count() < configs.Count) w.Paragraph(CommonRandomNumbers);
        return findings;
    }

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
}
