namespace Shatter.Environments;

/// <summary>
/// What a maze run randomizes: the randomization tests of Zhang et al. (ICLR 2017) carried to levels, after Zhang,
/// Vinyals, Munos and Bengio ("A study on overfitting in deep reinforcement learning", 2018).
/// </summary>
public enum MazeRandomization
{
    /// <summary>True levels: walls, agent and goal all shown.</summary>
    None,
    /// <summary>
    /// The goal is a uniformly drawn open cell of the level (drawn from its seed) and is NOT shown: the goal channel
    /// stays empty, so nothing in the observation predicts where the reward is. Reaching it on a training level needs
    /// that level memorized (its walls identify it), as random labels need their images memorized; on a new level
    /// only search finds it. Zhang et al. 2018 randomize each maze's rewards by its seed instead (a departure:
    /// docs/beyond-supervised.md).
    /// </summary>
    RandomGoal,
    /// <summary>
    /// One fixed random permutation of the H·W cells, the same for every level and step, applied to every channel of
    /// every observation: the maze analogue of shuffled pixels (the goal stays visible, the grid's geometry does not).
    /// </summary>
    ShuffledCells,
}
