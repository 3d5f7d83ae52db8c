using System.Diagnostics;
using Shatter.Environments;
using Shatter.Models;
using Shatter.Tests.Training;
using Shatter.Training.Reinforcement;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Shatter.Tests.Training.Reinforcement;

/// <summary>The agent end to end on real mazes: determinism, learning a few levels, throughput (printed, not asserted).</summary>
[Collection(SerialTorchRandom.Name)]
public sealed class ReinforceLearnerTests(ITestOutputHelper output)
{
    const int Side = 7;

    static PolicyMlp NewPolicy(long seed)
    {
        torch.manual_seed(seed);
        return new PolicyMlp(MazeBatch.Channels * Side * Side, [64, 64], MazeBatch.Actions);
    }

    [Fact]
    public void The_same_seeds_give_the_same_episodes_and_the_same_weights()
    {
        (List<int[]> Lengths, Tensor Weights) Run(long samplingSeed)
        {
            using var policy = NewPolicy(5);
            var maze = new MazeOptions(Side: Side, MaxSteps: 20);
            var training = MazeLevelSource.Fixed(6, Side, 8);
            using var learner = new ReinforceLearner(policy, maze, new ReinforceOptions(LearningRate: 3e-3, Episodes: 16), samplingSeed);
            var lengths = new List<int[]>();
            for (int u = 0; u < 5; u++)
            {
                learner.Update(training);
                using var rollout = RolloutCollector.Collect(policy, maze, training.Levels, learner.Generator);
                lengths.Add(rollout.Lengths.ToArray());
            }
            return (lengths, cat(policy.parameters().Select(p => p.detach().flatten()).ToArray()));
        }
        var (a, wa) = Run(11);
        var (b, wb) = Run(11);
        var (c, wc) = Run(12);
        Assert.Equal(a, b);
        Assert.True(wa.eq(wb).all().item<bool>(), "the same seeds gave different weights"); // bit for bit
        Assert.NotEqual(a, c);
        Assert.False(wa.eq(wc).all().item<bool>());
        wa.Dispose(); wb.Dispose(); wc.Dispose();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void The_agent_learns_to_reach_the_goal_on_a_few_small_training_levels(long seed)
    {
        using var policy = NewPolicy(seed);
        var maze = new MazeOptions(Side: Side, MaxSteps: 20);
        var training = MazeLevelSource.Fixed(4, Side, seed);
        using var learner = new ReinforceLearner(policy, maze, new ReinforceOptions(LearningRate: 3e-3, Episodes: 32), seed);
        double shortest = training.Levels.Average(l => l.ShortestPath());
        var before = learner.Evaluate(training.Levels, 64);
        var clock = Stopwatch.StartNew();
        int episodes = 0;
        for (int u = 0; u < Updates; u++) episodes += learner.Update(training).Episodes;
        clock.Stop();
        var after = learner.Evaluate(training.Levels, 64);
        output.WriteLine($"seed {seed}: shortest paths {string.Join(", ", training.Levels.Select(l => l.ShortestPath()))}; " +
            $"before: success {before.SuccessRate:F2}, length {before.MeanLength:F1}; after {Updates} updates: success {after.SuccessRate:F2}, length {after.MeanLength:F1}, return {after.MeanReturn:F3}; " +
            $"training: {episodes} episodes in {clock.Elapsed.TotalSeconds:F1} s = {episodes / clock.Elapsed.TotalMinutes:N0} episodes/min with their updates");
        // before: a near-uniform policy; after: (almost) always there, on (almost) the shortest path
        Assert.True(before.SuccessRate < 0.75, $"the untrained policy already succeeds {before.SuccessRate:P0} of the time");
        Assert.True(after.SuccessRate >= 0.95, $"after {Updates} updates the agent reaches the goal {after.SuccessRate:P0} of the time");
        // measured (300 updates): seed 1 mean length 6.8 against shortest 4.25, seed 2 5.9 against 4.0
        Assert.True(after.MeanLength <= 2 * shortest + 1, $"mean length {after.MeanLength:F1} against shortest paths averaging {shortest:F1}");
    }

    const int Updates = 300;

    [Fact]
    public void Updates_and_evaluations_leave_no_live_tensors_behind()
    {
        using var policy = NewPolicy(3);
        var maze = new MazeOptions(Side: Side, MaxSteps: 15);
        var training = MazeLevelSource.Fixed(3, Side, 3);
        using var learner = new ReinforceLearner(policy, maze, new ReinforceOptions(Episodes: 8), 3);
        learner.Update(training); // warm-up: Adam's moments are created on the first step
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int u = 0; u < 3; u++) learner.Update(training);
        learner.Evaluate(training.Levels, 4);
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Collecting_thousands_of_episodes_with_the_policy_network_prints_its_rate()
    {
        // Not a speed assertion: the episode count is checked; the rate is printed for docs/beyond-supervised.md.
        using var policy = NewPolicy(1);
        var maze = new MazeOptions(Side: Side);
        var training = MazeLevelSource.Fixed(100, Side, 1);
        using var generator = new Generator(1);
        const int Batches = 8, PerBatch = 256;
        int episodes = 0;
        long steps = 0;
        var clock = Stopwatch.StartNew();
        for (int b = 0; b < Batches; b++)
        {
            using var rollout = RolloutCollector.Collect(policy, maze, training.Draw(PerBatch), generator);
            episodes += rollout.Episodes;
            steps += rollout.Lengths.Sum();
        }
        clock.Stop();
        Assert.Equal(Batches * PerBatch, episodes);
        output.WriteLine($"maze {Side}×{Side}, PolicyMlp 64-64, batches of {PerBatch}: {episodes} episodes, {steps} steps in {clock.Elapsed.TotalSeconds:F1} s = " +
            $"{episodes / clock.Elapsed.TotalMinutes:N0} episodes/min ({torch.get_num_threads()} torch threads)");
    }
}
