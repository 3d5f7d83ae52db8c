using static TorchSharp.torch;

namespace Shatter.Training.Reinforcement;

/// <summary>
/// B episodes collected in lockstep for T steps (T = the longest episode). Tensors, CPU:
/// <see cref="Observations"/> (T, B, 3, H, W) float32, the observation each action was taken on;
/// <see cref="Actions"/> (T, B) int64; <see cref="Rewards"/> (T, B) float32;
/// <see cref="Alive"/> (T, B) bool, true where episode b took step t (rows past an episode's end are padding).
/// Per episode: <see cref="Success"/>, <see cref="Lengths"/> (steps taken), <see cref="LevelSeeds"/>.
/// </summary>
public sealed class Rollout(Tensor observations, Tensor actions, Tensor rewards, Tensor alive, bool[] success, int[] lengths, long[] levelSeeds) : IDisposable
{
    public Tensor Observations { get; } = observations;
    public Tensor Actions { get; } = actions;
    public Tensor Rewards { get; } = rewards;
    public Tensor Alive { get; } = alive;
    public IReadOnlyList<bool> Success { get; } = success;
    public IReadOnlyList<int> Lengths { get; } = lengths;
    public IReadOnlyList<long> LevelSeeds { get; } = levelSeeds;

    public int Episodes => Success.Count;
    public int Steps => (int)Actions.shape[0];
    public double SuccessRate => Episodes == 0 ? 0 : Success.Count(s => s) / (double)Episodes;

    /// <summary>Mean discounted return from the start, γ^(length−1) for a success and 0 otherwise (the reward is 1, once).</summary>
    public double MeanReturn(double gamma) =>
        Episodes == 0 ? 0 : Enumerable.Range(0, Episodes).Sum(i => Success[i] ? Math.Pow(gamma, Lengths[i] - 1) : 0) / Episodes;

    public void Dispose()
    {
        Observations.Dispose();
        Actions.Dispose();
        Rewards.Dispose();
        Alive.Dispose();
    }
}
