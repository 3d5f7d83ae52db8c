namespace Shatter.Environments;

/// <summary>
/// Where a run's training episodes come from: a fixed set of N levels (Cobbe et al. 2019's "N training levels";
/// each episode draws one uniformly) or an unlimited stream (a fresh level per episode), and the held-out levels its
/// generalization is measured on. Level seeds derive from the run's seed and a purpose ("training-level-i",
/// "fresh-level-k", "new-level-i"), so the streams never share a seed. <see cref="NewLevels"/> also skips a level
/// whose layout equals a training level's (small mazes repeat); against an unlimited stream no such check is possible,
/// which only matters for sides where layouts repeat often.
/// </summary>
public sealed class MazeLevelSource
{
    /// <summary>Most fixed training levels (more is "unlimited" in effect).</summary>
    public const int MaxLevels = 1_000_000;

    readonly MazeLevel[]? fixedLevels;
    readonly long seed;
    readonly SplitMix64 draws;
    long fresh;

    MazeLevelSource(int side, long seed, MazeLevel[]? fixedLevels)
    {
        Side = side;
        this.seed = seed;
        this.fixedLevels = fixedLevels;
        draws = new SplitMix64(Seeds.Derive(seed, "level-draws"));
    }

    public int Side { get; }
    public bool IsUnlimited => fixedLevels is null;
    /// <summary>The fixed training levels (empty for an unlimited source).</summary>
    public IReadOnlyList<MazeLevel> Levels => fixedLevels ?? [];

    /// <summary>N levels of one side, generated from the run's seed.</summary>
    public static MazeLevelSource Fixed(int count, int side, long seed)
    {
        if (count < 1 || count > MaxLevels)
            throw new ShatterException($"the number of training levels must be from 1 to {MaxLevels:N0}, not {count}; use unlimited for a fresh level per episode.");
        var levels = new MazeLevel[count];
        for (int i = 0; i < count; i++) levels[i] = MazeLevel.Generate(Seeds.Derive(seed, $"training-level-{i}"), side);
        return new MazeLevelSource(side, seed, levels);
    }

    /// <summary>A fresh level for every episode.</summary>
    public static MazeLevelSource Unlimited(int side, long seed)
    {
        MazeLevel.Generate(seed, side); // validates the side now rather than at the first draw
        return new MazeLevelSource(side, seed, null);
    }

    /// <summary>The levels of the next <paramref name="episodes"/> episodes, in order (deterministic given the seed and the calls before).</summary>
    public MazeLevel[] Draw(int episodes)
    {
        var batch = new MazeLevel[episodes];
        for (int i = 0; i < episodes; i++)
            batch[i] = fixedLevels is null
                ? MazeLevel.Generate(Seeds.Derive(seed, $"fresh-level-{fresh++}"), Side)
                : fixedLevels[draws.Below(fixedLevels.Length)];
        return batch;
    }

    /// <summary>
    /// <paramref name="count"/> held-out levels from <paramref name="heldOutSeed"/>, none with a training level's layout:
    /// the "new levels" of the generalization gap. Deterministic given both seeds.
    /// </summary>
    public MazeLevel[] NewLevels(int count, long heldOutSeed)
    {
        var levels = new List<MazeLevel>(count);
        for (long i = 0; levels.Count < count; i++)
        {
            if (i > 100L * count + 1000)
                throw new ShatterException($"could not find {count} new {Side}×{Side} levels unlike the {Levels.Count} training levels; use a larger side or fewer training levels.");
            var level = MazeLevel.Generate(Seeds.Derive(heldOutSeed, $"new-level-{i}"), Side);
            if (fixedLevels is null || !fixedLevels.Any(level.SameLayout)) levels.Add(level);
        }
        return levels.ToArray();
    }
}
