namespace Shatter.Theory;

/// <summary>
/// One minimum-norm kernel interpolation: errors are fractions (0.0122 = 1.22%); the RKHS norm is
/// √(Σ_c α_cᵀKα_c) over the one-hot targets; the relative residual is ‖y − (K + λI)α‖_F / ‖y‖_F.
/// <c>SolveSeconds</c> = factorization + substitutions + refinement; <c>KernelSeconds</c> builds K.
/// </summary>
public sealed record KernelResult(
    string Dataset,
    string Features,
    string Kernel,
    double Bandwidth,
    int TrainSize,
    int TestSize,
    int Dimension,
    int Classes,
    double LabelNoise,
    double FractionChanged,
    string Precision,
    double Ridge,
    double TrainError,
    double TestError,
    double RkhsNorm,
    double RelativeResidual,
    int Refinements,
    double KernelSeconds,
    double FactorSeconds,
    double SolveSeconds,
    double PredictSeconds,
    int Threads);
