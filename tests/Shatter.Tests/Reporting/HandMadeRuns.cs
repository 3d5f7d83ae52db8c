using Shatter.Reporting;
using Shatter.Results;
using Shatter.Training;

namespace Shatter.Tests.Reporting;

/// <summary>Hand-made runs for the report's analyses: a configuration, a summary, and curves of any length.</summary>
static class HandMadeRuns
{
    static int order;

    /// <summary>A finished run; fitted when <paramref name="stepsToFit"/> is given, else stopped at its epoch cap.</summary>
    public static ReportRun Run(string spec, TrainConfig config, double train, double test, long? stepsToFit = null, int epochs = 10,
        double? best = null, int bestEpoch = 0, IReadOnlyList<EpochMetrics>? curve = null, IReadOnlyList<StepRow>? steps = null,
        params (string Axis, string Label)[] point)
    {
        var summary = new TrainSummary
        {
            Epochs = stepsToFit is null ? config.Epochs : epochs, Steps = stepsToFit ?? config.Epochs * 10L, StepsToFit = stepsToFit,
            EpochsToFit = stepsToFit is null ? null : epochs, FinalTrainAccuracy = train, FinalTestAccuracy = test,
            BestTestAccuracy = best ?? test, BestTestEpoch = bestEpoch, StopReason = stepsToFit is null ? "epochs" : "fit", WallSeconds = 1,
        };
        return ReportRun.Of(spec, point.ToDictionary(p => p.Axis, p => p.Label), config, summary, curve, steps, order: Interlocked.Increment(ref order));
    }

    /// <summary>A run registered but never finished.</summary>
    public static ReportRun Unfinished(string spec, TrainConfig config, params (string Axis, string Label)[] point) =>
        ReportRun.Of(spec, point.ToDictionary(p => p.Axis, p => p.Label), config, null, order: Interlocked.Increment(ref order));

    /// <summary>Per-step losses: <paramref name="loss"/> at steps 1..<paramref name="count"/>.</summary>
    public static IReadOnlyList<StepRow> Steps(int count, double loss) => [.. Enumerable.Range(1, count).Select(s => new StepRow(s, 1 + s / 10, 0.01, loss))];

    /// <summary>Per-epoch rows: accuracy <paramref name="acc"/>(epoch) at step epoch × stepsPerEpoch, epochs 0..<paramref name="epochs"/>.</summary>
    public static IReadOnlyList<EpochMetrics> Epochs(int epochs, int stepsPerEpoch, Func<int, double> acc) =>
        [.. Enumerable.Range(0, epochs + 1).Select(e => new EpochMetrics(e, (long)e * stepsPerEpoch, 0.01, 2.3 * (1 - acc(e)), acc(e), 2, acc(e) * 0.8, e))];
}
