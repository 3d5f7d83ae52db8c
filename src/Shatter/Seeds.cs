namespace Shatter;

/// <summary>
/// Derives independent, stable seeds for each random choice of a run from its one user seed (SplitMix64
/// over the seed and a purpose name), so label noise, input noise, subsets, data order and
/// initialisation never share a stream and changing one option does not reshuffle the others.
/// </summary>
public static class Seeds
{
    public static long Derive(long seed, string purpose)
    {
        ulong h = (ulong)seed;
        foreach (char ch in purpose) h = Mix(h ^ ch);
        return (long)(Mix(h) >> 1);
    }

    static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
