namespace Shatter.Measures.Attractors;

/// <summary>
/// Settings of the attractor measures (<see cref="AttractorMeasures"/>). Distances are relative: two images a and b
/// "coincide" when ‖a − b‖₂ ≤ <see cref="Tolerance"/>·‖b‖₂ (b the training image), so the tolerance reads the same
/// on whitened, [0, 1] or Gaussian inputs; 0.05 is an error of 5% of the image's norm (for whitened images, RMS 1,
/// a per-pixel RMS error of 0.05, i.e. a reconstruction MSE of 2.5e-3).
/// <see cref="PowerIterations"/>: Jacobian-vector products per image for the top eigenvalue's modulus.
/// <see cref="Iterations"/>: K, the applications of the map in x_{k+1} = f(x_k) from perturbed or random starts.
/// <see cref="Perturbation"/>: the noise of a perturbed copy, x + σ·‖x‖/√d·ε with ε ~ N(0, I) (0.1: 10% of the image's RMS).
/// <see cref="RandomStarts"/>: how many random starts, each pixel N(m, s²) with m and s the training pixels' mean and std.
/// <see cref="Seed"/>: every draw (power-iteration start vectors, noise, random starts) comes from it.
/// </summary>
public sealed record AttractorOptions(double Tolerance = 0.05, int PowerIterations = 50, int Iterations = 100,
    double Perturbation = 0.1, int RandomStarts = 100, long Seed = 0)
{
    public void Validate()
    {
        if (!(Tolerance > 0)) throw new ShatterException($"the attractor tolerance must be positive, not {Tolerance}.");
        if (PowerIterations < 2) throw new ShatterException($"power iteration needs at least 2 steps, not {PowerIterations}.");
        if (Iterations < 1) throw new ShatterException($"the map must be iterated at least once, not {Iterations} times.");
        if (!(Perturbation >= 0)) throw new ShatterException($"the perturbation must be 0 or positive, not {Perturbation}.");
        if (RandomStarts < 0) throw new ShatterException($"the number of random starts must be 0 or positive, not {RandomStarts}.");
    }
}
