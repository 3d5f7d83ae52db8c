namespace Shatter.Reporting.Analysis;

/// <summary>One point of curves aggregated over seeds: mean, min and max of the runs that reached <see cref="X"/>.</summary>
public readonly record struct CurvePoint(double X, double Mean, double Min, double Max, int Runs);

/// <summary>
/// Aggregates curves of several runs (seeds) on a common step axis. Runs of different lengths are aligned
/// by their x value (a step, or a bin of steps), never by their index: at each x the mean, min and max
/// cover the runs that reached it, and <see cref="CurvePoint.Runs"/> says how many did.
/// </summary>
public static class StepCurves
{
    /// <summary>
    /// With <paramref name="binWidth"/> 0 the points are matched on their exact x; otherwise each curve is
    /// first averaged in bins (k·w, (k+1)·w] (steps count from 1; step 0 joins the first bin) placed at their
    /// centre, the same bins for every curve.
    /// </summary>
    public static IReadOnlyList<CurvePoint> Align(IReadOnlyList<IReadOnlyList<(double X, double Y)>> curves, double binWidth = 0)
    {
        var perCurve = curves.Select(c => binWidth > 0
            ? c.Where(p => !double.IsNaN(p.Y)).GroupBy(p => Math.Max(0, Math.Ceiling(p.X / binWidth) - 1)).ToDictionary(g => (g.Key + 0.5) * binWidth, g => g.Average(p => p.Y))
            : c.Where(p => !double.IsNaN(p.Y)).GroupBy(p => p.X).ToDictionary(g => g.Key, g => g.Average(p => p.Y))).ToList();
        return [.. perCurve.SelectMany(d => d.Keys).Distinct().Order().Select(x =>
        {
            var s = Spread.Of(perCurve.Where(d => d.ContainsKey(x)).Select(d => d[x]));
            return new CurvePoint(x, s.Mean, s.Min, s.Max, s.Count);
        })];
    }

    /// <summary>A bin width that gives about <paramref name="points"/> bins over the longest curve; 0 (every step) when that is under 2.</summary>
    public static double BinWidth(IEnumerable<double> lastSteps, int points = 400) =>
        Math.Floor(lastSteps.DefaultIfEmpty(0).Max() / points) is var w && w >= 2 ? w : 0;
}
