namespace Shatter.Measures.Attractors;

/// <summary>
/// The attractor measures of a trained map on its N training images (per image, in order) and on random starts:
/// <see cref="Residual"/> ‖f(x) − x‖/‖x‖; <see cref="FixedPoint"/> residual ≤ tolerance; <see cref="SpectralRadius"/>
/// the Jacobian's top eigenvalue modulus at x; <see cref="Attractor"/> a fixed point with spectral radius &lt; 1;
/// <see cref="Recovered"/> K iterations from a perturbed copy end within tolerance of x.
/// Random starts: <see cref="RandomStarts"/> drawn, <see cref="LandedOnTraining"/> of them end within tolerance of a
/// training image after K iterations, on <see cref="DistinctImagesReached"/> different images;
/// <see cref="ConvergedElsewhere"/> end at a point the last step barely moved (relative change ≤ tolerance) that is no
/// training image — a spurious attractor.
/// </summary>
public sealed record AttractorReport(
    double[] Residual, bool[] FixedPoint, double[] SpectralRadius, bool[] Attractor, bool[] Recovered,
    int RandomStarts, int LandedOnTraining, int DistinctImagesReached, int ConvergedElsewhere, AttractorOptions Options)
{
    public int Images => Residual.Length;
    public double FixedPointShare => Share(FixedPoint);
    public double AttractorShare => Share(Attractor);
    public double RecoveredShare => Share(Recovered);
    public double LandedShare => RandomStarts == 0 ? 0 : LandedOnTraining / (double)RandomStarts;

    static double Share(bool[] flags) => flags.Length == 0 ? 0 : flags.Count(f => f) / (double)flags.Length;
}
