namespace Shatter.Corruptions;

/// <summary>What --label-noise P does to a regression table's training targets.</summary>
public enum TargetNoiseMode
{
    /// <summary>A fraction P of the targets permuted among themselves (the distribution of targets kept).</summary>
    Shuffle,
    /// <summary>A fraction P of the targets replaced by Gaussian draws of the targets' mean and variance.</summary>
    Gaussian,
}

/// <summary>
/// Randomization tests for regression targets and tabular inputs, pure functions of (values, seed):
/// <list type="bullet">
/// <item><see cref="Shuffle"/>: a random fraction p of the targets permuted among themselves (p = 1: fully
/// shuffled, the regression analogue of random labels; the marginal distribution of targets is kept).</item>
/// <item><see cref="Gaussian"/>, <see cref="GaussianFraction"/>: (a fraction p of the) targets replaced by draws of a normal with the targets' mean and variance.</item>
/// <item><see cref="RandomInputs"/>: every feature replaced by normal draws with that column's mean and variance.</item>
/// </list>
/// </summary>
public static class TargetNoise
{
    /// <summary>The CLI and spec spelling of a mode (shuffle, gaussian).</summary>
    public static string Name(TargetNoiseMode mode) => mode == TargetNoiseMode.Gaussian ? "gaussian" : "shuffle";

    /// <summary>Targets with a random ⌊p·n⌉ of them permuted among their own positions; and which positions were chosen.</summary>
    public static (double[] Targets, bool[] Chosen) Shuffle(IReadOnlyList<double> y, double p, long seed)
    {
        if (!(p >= 0 && p <= 1)) throw new ShatterException($"the shuffled fraction must be between 0 and 1, not {p}.");
        var rng = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        int n = y.Count, k = (int)Math.Round(p * n);
        var positions = Enumerable.Range(0, n).ToArray();
        rng.Shuffle(positions);
        var chosen = positions.Take(k).Order().ToArray();
        var moved = chosen.ToArray();
        rng.Shuffle(moved);
        var result = y.ToArray();
        var mask = new bool[n];
        for (int i = 0; i < k; i++)
        {
            result[chosen[i]] = y[moved[i]];
            mask[chosen[i]] = true;
        }
        return (result, mask);
    }

    /// <summary>
    /// Targets with a random ⌊p·n⌉ of them (the positions <see cref="Shuffle"/> would choose with the same seed) replaced
    /// by draws of N(mean(y), var(y)) of all the targets; and which positions were replaced. p = 1: Gaussian targets of
    /// the same mean and variance.
    /// </summary>
    public static (double[] Targets, bool[] Chosen) GaussianFraction(IReadOnlyList<double> y, double p, long seed)
    {
        var (_, chosen) = Shuffle(y, p, seed);
        var draws = Gaussian(y, Seeds.Derive(seed, "gaussian-targets"));
        var result = y.ToArray();
        for (int i = 0; i < result.Length; i++)
            if (chosen[i]) result[i] = draws[i];
        return (result, chosen);
    }

    /// <summary>n draws of N(mean(y), var(y)) (population variance).</summary>
    public static double[] Gaussian(IReadOnlyList<double> y, long seed)
    {
        var rng = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        double mean = y.Average(), std = Math.Sqrt(y.Average(v => (v - mean) * (v - mean)));
        return [.. y.Select(_ => mean + std * Normal(rng))];
    }

    /// <summary>Rows of normal draws, column j with column j's mean and (population) variance.</summary>
    public static double[][] RandomInputs(double[][] x, long seed)
    {
        var rng = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        int d = x.Length == 0 ? 0 : x[0].Length;
        var mean = new double[d];
        var std = new double[d];
        for (int j = 0; j < d; j++)
        {
            mean[j] = x.Average(r => r[j]);
            std[j] = Math.Sqrt(x.Average(r => (r[j] - mean[j]) * (r[j] - mean[j])));
        }
        return [.. x.Select(_ => Enumerable.Range(0, d).Select(j => mean[j] + std[j] * Normal(rng)).ToArray())];
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    static double Normal(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
