using Shatter.Environments;
using static TorchSharp.torch;

namespace Shatter.Training.Reinforcement;

/// <summary>
/// Scores a policy on given levels (the training levels, or new ones from <see cref="MazeLevelSource.NewLevels"/>):
/// <paramref name="episodesPerLevel"/> episodes per level, played in batches of at most <see cref="BatchSize"/>. The
/// policy samples its actions (as Cobbe et al. 2019 evaluate, a stochastic policy) unless <c>greedy</c>, where a
/// deterministic policy can loop until the cap.
/// </summary>
public static class PolicyEvaluation
{
    public const int BatchSize = 256;

    public static MazeEvaluation Evaluate(nn.Module<Tensor, (Tensor Logits, Tensor Value)> policy, MazeOptions options, IReadOnlyList<MazeLevel> levels,
        int episodesPerLevel, double gamma, Generator generator, bool greedy = false)
    {
        if (episodesPerLevel < 1) throw new ShatterException($"an evaluation needs at least one episode per level, not {episodesPerLevel}.");
        var all = levels.SelectMany(l => Enumerable.Repeat(l, episodesPerLevel)).ToArray();
        int successes = 0;
        double returns = 0, lengths = 0;
        for (int start = 0; start < all.Length; start += BatchSize)
        {
            using var rollout = RolloutCollector.Collect(policy, options, all[start..Math.Min(all.Length, start + BatchSize)], generator, greedy);
            successes += rollout.Success.Count(s => s);
            returns += rollout.MeanReturn(gamma) * rollout.Episodes;
            lengths += rollout.Lengths.Sum();
        }
        int n = all.Length;
        return n == 0 ? new MazeEvaluation(0, 0, 0, 0) : new MazeEvaluation(n, successes / (double)n, returns / n, lengths / n);
    }
}
