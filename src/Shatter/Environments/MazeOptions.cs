namespace Shatter.Environments;

/// <summary>
/// How the mazes of a run look and end. <see cref="Side"/>: odd, 5 to 63. <see cref="MaxSteps"/>: the episode length
/// cap (0: <see cref="DefaultMaxSteps"/>, side², about twice the open cells of a perfect maze); an episode that reaches
/// it ends without reward. <see cref="PermutationSeed"/>: seeds the cell order of
/// <see cref="MazeRandomization.ShuffledCells"/> (unused otherwise).
/// </summary>
public sealed record MazeOptions(int Side = 7, int MaxSteps = 0, MazeRandomization Randomization = MazeRandomization.None, long PermutationSeed = 0)
{
    public static int DefaultMaxSteps(int side) => side * side;

    /// <summary>The cap in force.</summary>
    public int StepCap => MaxSteps > 0 ? MaxSteps : DefaultMaxSteps(Side);

    public void Validate()
    {
        if (Side < MazeLevel.MinSide || Side > MazeLevel.MaxSide || Side % 2 == 0)
            throw new ShatterException($"a maze's side must be odd, from {MazeLevel.MinSide} to {MazeLevel.MaxSide}, not {Side}.");
        if (MaxSteps < 0)
            throw new ShatterException($"the episode step cap must be positive (or 0 for side², {DefaultMaxSteps(Side)}), not {MaxSteps}.");
    }
}
