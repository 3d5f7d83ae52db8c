namespace Shatter.Theory;

/// <summary>
/// How well the Theorem 1 network built in one precision fits its n points. Residuals are relative to
/// the labels: max_i |c(x_i) − y_i| / max_i |y_i|. Figures that are not finite (a float32 build whose
/// projections collide) are null.
/// </summary>
public sealed record Theorem1Fit(
    string Precision,
    int N,
    int D,
    long Weights,
    bool DistinctProjections,
    double? RelativeResidual,
    double? MaxAbsResidual,
    double FractionRounded,
    bool Exact,
    double? SmallestGap,
    double? SmallestDiagonal,
    double? ConditionEstimate,
    double? MaxAbsWeight,
    double Seconds)
{
    /// <summary>The value if finite, else null (JSON has no NaN or ∞).</summary>
    public static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
