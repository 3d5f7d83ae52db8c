using Shatter.Environments;
using static TorchSharp.torch;

namespace Shatter.Training.Reinforcement;

/// <summary>
/// Plays one episode per level with a policy, all levels stepped together in a <see cref="MazeBatch"/>: at each step
/// one forward pass over the batch's observations (no gradient), actions sampled from softmax(logits) with the
/// caller's generator (or the argmax when greedy), one environment step. Stops when every episode has ended.
/// </summary>
public static class RolloutCollector
{
    public static Rollout Collect(nn.Module<Tensor, (Tensor Logits, Tensor Value)> policy, MazeOptions options, IReadOnlyList<MazeLevel> levels,
        Generator generator, bool greedy = false)
    {
        var env = new MazeBatch(options);
        env.Reset(levels);
        int b = levels.Count;
        var observations = new List<Tensor>();
        var actions = new List<Tensor>();
        var rewards = new List<float[]>();
        var alive = new List<bool[]>();
        var reward = new float[b];
        bool wasTraining = policy.training;
        policy.eval();
        try
        {
            using var noGrad = no_grad();
            while (!env.AllDone)
            {
                var stepAlive = new bool[b];
                for (int i = 0; i < b; i++) stepAlive[i] = !env.IsDone(i);
                var obs = env.Observe();                                  // (B, 3, H, W)
                var chosen = Choose(policy, obs, generator, greedy);      // (B) int64
                env.Step(chosen.data<long>().ToArray(), reward);
                observations.Add(obs);
                actions.Add(chosen);
                rewards.Add((float[])reward.Clone());
                alive.Add(stepAlive);
            }
        }
        finally
        {
            policy.train(wasTraining);
        }
        return Assemble(env, observations, actions, rewards, alive);
    }

    /// <summary>(B) int64 actions from the policy's logits on (B, 3, H, W) observations.</summary>
    static Tensor Choose(nn.Module<Tensor, (Tensor Logits, Tensor Value)> policy, Tensor obs, Generator generator, bool greedy)
    {
        using var scope = NewDisposeScope();
        var (logits, _) = policy.call(obs);
        var chosen = greedy ? logits.argmax(1) : multinomial(logits.softmax(1), 1, replacement: true, generator: generator).squeeze(1);
        return chosen.MoveToOuterDisposeScope();
    }

    static Rollout Assemble(MazeBatch env, List<Tensor> observations, List<Tensor> actions, List<float[]> rewards, List<bool[]> alive)
    {
        int b = env.Count, t = actions.Count;
        var success = new bool[b];
        var lengths = new int[b];
        var seeds = new long[b];
        for (int i = 0; i < b; i++)
        {
            success[i] = env.Succeeded(i);
            lengths[i] = env.Steps(i);
            seeds[i] = env.Levels[i].Seed;
        }
        var flatRewards = new float[t * b];
        var flatAlive = new bool[t * b];
        for (int s = 0; s < t; s++)
        {
            Array.Copy(rewards[s], 0, flatRewards, s * b, b);
            Array.Copy(alive[s], 0, flatAlive, s * b, b);
        }
        var obs = t > 0 ? stack(observations) : zeros([0, b, MazeBatch.Channels, env.Side, env.Side]);
        var acts = t > 0 ? stack(actions) : zeros([0, b], dtype: ScalarType.Int64);
        foreach (var o in observations) o.Dispose();
        foreach (var a in actions) a.Dispose();
        return new Rollout(obs, acts, tensor(flatRewards, [t, b]), tensor(flatAlive, [t, b]), success, lengths, seeds);
    }
}
