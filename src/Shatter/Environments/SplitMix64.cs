namespace Shatter.Environments;

/// <summary>
/// A small deterministic random stream (SplitMix64, Steele, Lea and Flood 2014, as in <see cref="Seeds"/>) for the
/// environments' own choices: the same seed gives the same levels and draws on every machine and .NET version,
/// which System.Random does not promise.
/// </summary>
public sealed class SplitMix64(long seed)
{
    ulong state = (ulong)seed;

    public ulong Next()
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in 0..n−1, unbiased (draws past the largest multiple of n are redrawn).</summary>
    public int Below(int n)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "needs at least one value to choose from");
        ulong bound = (ulong)n;
        ulong limit = ulong.MaxValue - ulong.MaxValue % bound;
        ulong x;
        do x = Next(); while (x >= limit);
        return (int)(x % bound);
    }

    /// <summary>A uniform random permutation of 0..n−1 (Fisher–Yates).</summary>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--)
        {
            int j = Below(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }
}
