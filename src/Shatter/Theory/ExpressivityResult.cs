namespace Shatter.Theory;

/// <summary>
/// One Theorem 1 construction: n points in d dimensions with 2n + d weights, built in float64 and in
/// float32. <c>RelativeResidual</c> is max_i |c(x_i) − y_i| / max_i |y_i| in float64; <c>Exact</c> says
/// every output rounds to its label. <c>Test</c> is set when the points came from a dataset.
/// </summary>
public sealed record ExpressivityResult(
    string Source,
    int N,
    int D,
    long Weights,
    int Classes,
    double LabelNoise,
    double? RelativeResidual,
    double? Float32RelativeResidual,
    bool Exact,
    bool Float32Exact,
    Theorem1Fit Float64,
    Theorem1Fit Float32,
    OffSampleFit? Test,
    DeepFit? Deep);
