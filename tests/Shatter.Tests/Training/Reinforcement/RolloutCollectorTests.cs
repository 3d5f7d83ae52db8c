using Shatter.Environments;
using Shatter.Models;
using Shatter.Training.Reinforcement;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Tests.Training.Reinforcement;

public sealed class RolloutCollectorTests
{
    // two corridors in 5×5 grids: the goal 2 and 3 steps to the right of the start
    static readonly MazeLevel Short = MazeLevel.Parse("#####", "#####", "#S.G#", "#####", "#####");
    static readonly MazeLevel Long = MazeLevel.Parse("#####", "#####", "S..G#", "#####", "#####");

    [Fact]
    public void Episodes_of_different_lengths_are_padded_and_masked()
    {
        using var policy = ScriptedPolicy.Always(3); // right
        using var generator = new Generator(1);
        using var rollout = RolloutCollector.Collect(policy, new MazeOptions(Side: 5), [Short, Long], generator);
        Assert.Equal(3, rollout.Steps);
        Assert.Equal(new long[] { 3, 2, 3, 5, 5 }, rollout.Observations.shape);
        Assert.Equal([true, true], rollout.Success);
        Assert.Equal([2, 3], rollout.Lengths);
        Assert.Equal(new[] { true, true, true, true, false, true }, rollout.Alive.flatten().data<bool>().ToArray());
        Assert.Equal(new float[] { 0, 0, 1, 0, 0, 1 }, rollout.Rewards.flatten().data<float>().ToArray());
        Assert.All(rollout.Actions.flatten().data<long>().ToArray(), a => Assert.Equal(3L, a));
        // the first observation of the long corridor shows the agent at its start (row 2, column 0)
        Assert.Equal(1f, rollout.Observations[0, 1, MazeBatch.AgentChannel, 2, 0].item<float>());
        Assert.Equal(1f, rollout.Observations[1, 1, MazeBatch.AgentChannel, 2, 1].item<float>());
        // mean discounted return: (γ + γ²)/2
        Assert.Equal((0.9 + 0.81) / 2, rollout.MeanReturn(0.9), 1e-12);
        using var returns = ReinforceLoss.DiscountedReturns(rollout.Rewards, rollout.Alive, 0.9);
        var expected = new[] { 0.9, 0.81, 1, 0.9, 0, 1 };
        var actual = returns.flatten().data<float>().ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-6);
    }

    [Fact]
    public void The_loss_of_a_rollout_averages_over_the_steps_taken_only()
    {
        torch.manual_seed(4);
        using var policy = new PolicyMlp(3 * 25, [16], MazeBatch.Actions);
        using var generator = new Generator(2);
        using var rollout = RolloutCollector.Collect(policy, new MazeOptions(Side: 5, MaxSteps: 6), [Short, Long, Short], generator);
        int taken = rollout.Lengths.Sum();
        using var parts = ReinforceLoss.Compute(policy, rollout, new ReinforceOptions());
        Assert.Equal(taken, parts.Steps);
        // the same loss by hand: gather the taken steps and call FromOutputs
        using var scope = NewDisposeScope();
        var alive = rollout.Alive.flatten();
        var idx = alive.nonzero().squeeze(1);
        var (logits, values) = policy.call(rollout.Observations.flatten(0, 1).index_select(0, idx));
        var returns = ReinforceLoss.DiscountedReturns(rollout.Rewards, rollout.Alive, 0.99).flatten().index_select(0, idx);
        var byHand = ReinforceLoss.FromOutputs(logits, values, rollout.Actions.flatten().index_select(0, idx), returns, new ReinforceOptions());
        Assert.Equal(byHand.Total.item<float>(), parts.Total.item<float>(), 1e-6f);
    }

    [Fact]
    public void Greedy_collection_takes_the_argmax_and_a_capped_greedy_loop_ends_at_the_cap()
    {
        using var left = ScriptedPolicy.Always(2);
        using var generator = new Generator(1);
        using var rollout = RolloutCollector.Collect(left, new MazeOptions(Side: 5, MaxSteps: 7), [Short], generator, greedy: true);
        Assert.Equal(7, rollout.Steps);
        Assert.Equal([false], rollout.Success);
        Assert.Equal(0.0, rollout.MeanReturn(0.99));
    }

    [Fact]
    public void Evaluation_counts_every_episode_on_every_level()
    {
        using var right = ScriptedPolicy.Always(3);
        using var generator = new Generator(1);
        var score = PolicyEvaluation.Evaluate(right, new MazeOptions(Side: 5), [Short, Long], 300, 0.9, generator);
        Assert.Equal(600, score.Episodes); // 600 > one batch of 256: the batches add up
        Assert.Equal(1.0, score.SuccessRate);
        Assert.Equal((0.9 + 0.81) / 2, score.MeanReturn, 1e-12);
        Assert.Equal(2.5, score.MeanLength, 1e-12);
    }
}
