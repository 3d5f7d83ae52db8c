using Shatter.Corruptions;

namespace Shatter.Reporting.Analysis;

/// <summary>
/// One group of a run's training examples (clean or corrupted labels): the fraction fitted for good by each epoch (an
/// example counts from the epoch it is first classified correctly and stays so), the median of those first-fit epochs and
/// how many examples never were.
/// </summary>
public sealed record ExampleFitCurve(string Model, double LabelNoise, long Seed, string Group, int Examples, double[] Epochs, double[] Fitted, int? MedianFirstFitEpoch, int NeverFitted);

/// <summary>
/// The analysis of the per-example fit section, pure functions of finished runs with partially corrupted labels
/// (0 &lt; p &lt; 1, true inputs): one run per (model, p), its lowest seed; clean against corrupted examples.
/// </summary>
public static class PerExampleFitAnalysis
{
    /// <summary>The runs the section shows: per (model, p), the finished run of the lowest seed, ordered by model and p.</summary>
    public static IReadOnlyList<ReportRun> Noisy(IReadOnlyList<ReportRun> distinct) =>
        [.. distinct.Where(r => r.Done && r.Config.LabelNoise is > 0 and < 1 && r.Config.Inputs == InputMode.True)
            .GroupBy(r => (r.Model, r.Config.LabelNoise)).Select(g => g.OrderBy(r => r.Config.Seed).First())
            .OrderBy(r => r.Model).ThenBy(r => r.Config.LabelNoise)];

    /// <summary>Per run (with per-example rows), its clean and its corrupted examples' curve over epochs 0..the run's last.</summary>
    public static IReadOnlyList<ExampleFitCurve> Curves(IReadOnlyList<ReportRun> runs)
    {
        var curves = new List<ExampleFitCurve>();
        foreach (var r in runs)
        {
            var examples = r.Examples;
            if (examples.Count == 0) continue;
            int last = Math.Max(1, r.Summary!.Epochs);
            foreach (var group in new[] { "clean", "corrupted" })
            {
                var of = examples.Where(x => x.LabelChanged == (group == "corrupted")).ToList();
                if (of.Count == 0) continue;
                double[] epochs = [.. Enumerable.Range(0, last + 1).Select(e => (double)e)];
                double[] fitted = [.. epochs.Select(e => of.Count(x => x.FirstFitEpoch >= 0 && x.FirstFitEpoch <= e) / (double)of.Count)];
                var first = of.Where(x => x.FirstFitEpoch >= 0).Select(x => x.FirstFitEpoch).Order().ToList();
                curves.Add(new ExampleFitCurve(r.Model, r.Config.LabelNoise, r.Config.Seed, group, of.Count, epochs, fitted,
                    first.Count == 0 ? null : first[first.Count / 2], of.Count - first.Count));
            }
        }
        return curves;
    }
}
