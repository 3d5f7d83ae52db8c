using static TorchSharp.torch;

namespace Shatter.Environments;

/// <summary>
/// A batch of grid-maze episodes stepped together in plain arrays (no per-episode objects, no tensors in the step):
/// B levels, one agent each. Actions: 0 up, 1 down, 2 left, 3 right; a move into a wall or off the grid leaves the
/// agent in place. Reward 1 on the step that enters the goal, which ends the episode; an episode that reaches
/// <see cref="MazeOptions.StepCap"/> steps ends without reward. Deterministic: the same levels and actions give the
/// same observations and rewards.
/// Observations (B, 3, H, W) float32 in {0, 1}: channel 0 walls, 1 the agent, 2 the goal (empty under
/// <see cref="MazeRandomization.RandomGoal"/>); under <see cref="MazeRandomization.ShuffledCells"/> cell k of every
/// channel is written at position order[k] of one fixed permutation. The buffer is updated in place (two cells per
/// step), so a step costs O(B) whatever the maze's size.
/// </summary>
public sealed class MazeBatch
{
    public const int Actions = 4;
    public const int Channels = 3;
    public const int WallChannel = 0, AgentChannel = 1, GoalChannel = 2;

    readonly MazeOptions options;
    readonly int cells;
    readonly int[] order; // cell -> position in the observation (identity unless ShuffledCells)
    MazeLevel[] levels = [];
    int[] position = [], steps = [];
    bool[] done = [], success = [];
    float[] observations = [];
    int active;

    public MazeBatch(MazeOptions options)
    {
        options.Validate();
        this.options = options;
        cells = options.Side * options.Side;
        order = options.Randomization == MazeRandomization.ShuffledCells
            ? new SplitMix64(Seeds.Derive(options.PermutationSeed, "maze-cell-order")).Permutation(cells)
            : Enumerable.Range(0, cells).ToArray();
    }

    public MazeOptions Options => options;
    public int Count => levels.Length;
    public int Side => options.Side;
    /// <summary>Episodes not yet ended.</summary>
    public int Active => active;
    public bool AllDone => active == 0;
    public IReadOnlyList<MazeLevel> Levels => levels;
    /// <summary>The cell order of the observations: position of cell k (identity unless ShuffledCells).</summary>
    public IReadOnlyList<int> CellOrder => order;

    public int Position(int episode) => position[episode];
    /// <summary>Steps taken so far (the episode's length once it is done).</summary>
    public int Steps(int episode) => steps[episode];
    public bool IsDone(int episode) => done[episode];
    public bool Succeeded(int episode) => success[episode];
    /// <summary>(B, 3, H, W) row-major, as <see cref="Observe"/> copies it.</summary>
    public ReadOnlySpan<float> Observations => observations;

    /// <summary>Starts one episode per level (all of the options' side), each agent on its level's start.</summary>
    public void Reset(IReadOnlyList<MazeLevel> batch)
    {
        int b = batch.Count;
        foreach (var level in batch)
            if (level.Height != options.Side || level.Width != options.Side)
                throw new ShatterException($"a {level.Height}×{level.Width} level does not fit a batch of {options.Side}×{options.Side} mazes; generate the levels with the batch's side.");
        levels = batch.ToArray();
        position = new int[b];
        steps = new int[b];
        done = new bool[b];
        success = new bool[b];
        observations = new float[b * Channels * cells];
        active = b;
        bool showGoal = options.Randomization != MazeRandomization.RandomGoal;
        for (int i = 0; i < b; i++)
        {
            var level = levels[i];
            int baseIndex = i * Channels * cells;
            var walls = level.Walls;
            for (int cell = 0; cell < cells; cell++)
                if (walls[cell]) observations[baseIndex + WallChannel * cells + order[cell]] = 1;
            position[i] = level.Start;
            observations[baseIndex + AgentChannel * cells + order[level.Start]] = 1;
            if (showGoal) observations[baseIndex + GoalChannel * cells + order[level.Goal]] = 1;
        }
    }

    /// <summary>
    /// One step of every episode not yet done: <paramref name="actions"/> (B) in 0..3, <paramref name="rewards"/> (B)
    /// receives this step's reward (0 for episodes already done, which do not move).
    /// </summary>
    public void Step(ReadOnlySpan<long> actions, Span<float> rewards)
    {
        int b = levels.Length;
        if (actions.Length != b || rewards.Length != b)
            throw new ArgumentException($"{actions.Length} actions and {rewards.Length} rewards for a batch of {b}");
        int cap = options.StepCap;
        for (int i = 0; i < b; i++)
        {
            rewards[i] = 0;
            if (done[i]) continue;
            var level = levels[i];
            int from = position[i], to = level.Move(from, checked((int)actions[i]));
            if (to != from)
            {
                int agent = i * Channels * cells + AgentChannel * cells;
                observations[agent + order[from]] = 0;
                observations[agent + order[to]] = 1;
                position[i] = to;
            }
            steps[i]++;
            if (to == level.Goal)
            {
                rewards[i] = 1;
                success[i] = true;
                done[i] = true;
                active--;
            }
            else if (steps[i] >= cap)
            {
                done[i] = true;
                active--;
            }
        }
    }

    /// <summary>The observations as a new float32 tensor (B, 3, H, W) on the CPU.</summary>
    public Tensor Observe() => tensor(observations, [levels.Length, Channels, options.Side, options.Side]);
}
