namespace Shatter.Theory;

/// <summary>
/// SGD on over-parameterised least squares (n &lt; d) from w = 0 and from a random w₀. Distances are
/// relative to ‖w_min‖, w_min = Xᵀ(XXᵀ)⁻¹y; residuals are ‖Xw − y‖ / ‖y‖. From w₀ SGD converges to
/// w_min + (I − P)w₀ (P the projection onto the row space of X), the "predicted" point.
/// </summary>
public sealed record MinimumNormResult(
    int N,
    int D,
    int Epochs,
    double LearningRate,
    double MinimumNorm,
    double FromZeroRelativeDistance,
    double FromZeroResidual,
    double FromZeroNorm,
    double FromStartRelativeDistance,
    double FromStartDistanceToPredicted,
    double FromStartResidual,
    double FromStartNorm);
