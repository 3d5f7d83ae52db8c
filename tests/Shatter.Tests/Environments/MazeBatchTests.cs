using System.Diagnostics;
using Shatter.Environments;
using Xunit.Abstractions;

namespace Shatter.Tests.Environments;

public sealed class MazeBatchTests(ITestOutputHelper output)
{
    // a 1×3 corridor inside a 5×5 grid: start, one open cell, goal
    static readonly MazeLevel Corridor = MazeLevel.Parse("#####", "#####", "#S.G#", "#####", "#####");

    [Fact]
    public void In_the_corridor_two_rights_reach_the_goal_with_reward_one_on_the_second_step()
    {
        var env = new MazeBatch(new MazeOptions(Side: 5));
        env.Reset([Corridor, Corridor]);
        var rewards = new float[2];
        env.Step([3L, 2L], rewards);                   // episode 0 right, episode 1 left into the wall
        Assert.Equal([0f, 0f], rewards);
        Assert.Equal(12, env.Position(0));
        Assert.Equal(11, env.Position(1));
        env.Step([3L, 3L], rewards);
        Assert.Equal([1f, 0f], rewards);
        Assert.True(env.IsDone(0) && env.Succeeded(0));
        Assert.Equal(2, env.Steps(0));
        Assert.False(env.IsDone(1));
        env.Step([0L, 3L], rewards);                   // a done episode neither moves nor earns
        Assert.Equal([0f, 1f], rewards);
        Assert.Equal(13, env.Position(0));
        Assert.Equal(2, env.Steps(0));
        Assert.Equal(3, env.Steps(1));
        Assert.True(env.AllDone);
    }

    [Fact]
    public void The_agent_channel_follows_the_agent_and_walls_and_goal_are_drawn_once()
    {
        var env = new MazeBatch(new MazeOptions(Side: 5));
        env.Reset([Corridor]);
        float At(int channel, int cell) => env.Observations[channel * 25 + cell];
        Assert.Equal(1f, At(MazeBatch.AgentChannel, 11));
        Assert.Equal(1f, At(MazeBatch.GoalChannel, 13));
        Assert.Equal(22f, Enumerable.Range(0, 25).Sum(c => At(MazeBatch.WallChannel, c)));
        env.Step([3L], new float[1]);
        Assert.Equal(0f, At(MazeBatch.AgentChannel, 11));
        Assert.Equal(1f, At(MazeBatch.AgentChannel, 12));
        Assert.Equal(1f, Enumerable.Range(0, 25).Sum(c => At(MazeBatch.AgentChannel, c)));
        using var tensor = env.Observe();
        Assert.Equal(new long[] { 1, 3, 5, 5 }, tensor.shape);
        Assert.Equal(1f, tensor[0, MazeBatch.AgentChannel, 2, 2].item<float>());
    }

    [Fact]
    public void An_episode_that_reaches_the_cap_ends_without_reward()
    {
        var env = new MazeBatch(new MazeOptions(Side: 5, MaxSteps: 4));
        env.Reset([Corridor]);
        var rewards = new float[1];
        float total = 0;
        for (int i = 0; i < 10 && !env.AllDone; i++)
        {
            env.Step([2L], rewards);                   // always left: never reaches the goal
            total += rewards[0];
        }
        Assert.True(env.IsDone(0));
        Assert.False(env.Succeeded(0));
        Assert.Equal(4, env.Steps(0));
        Assert.Equal(0f, total);
        Assert.Equal(25, new MazeOptions(Side: 5).StepCap); // default cap: side²
    }

    [Fact]
    public void Random_goal_levels_hide_the_goal_but_still_reward_it()
    {
        var level = MazeLevel.Generate(3, 7);
        var shown = new MazeBatch(new MazeOptions(Side: 7));
        var hidden = new MazeBatch(new MazeOptions(Side: 7, Randomization: MazeRandomization.RandomGoal));
        shown.Reset([level]);
        hidden.Reset([level]);
        var goalChannel = Enumerable.Range(MazeBatch.GoalChannel * 49, 49);
        Assert.Equal(1f, goalChannel.Sum(i => shown.Observations[i]));
        Assert.Equal(0f, goalChannel.Sum(i => hidden.Observations[i]));
        var walls = Enumerable.Range(0, 2 * 49);
        Assert.All(walls, i => Assert.Equal(shown.Observations[i], hidden.Observations[i])); // walls and agent unchanged
        // walk the shortest path (BFS over moves) in the hidden-goal maze: the reward comes all the same
        var rewards = new float[1];
        foreach (var action in PathActions(level))
            hidden.Step([action], rewards);
        Assert.True(hidden.Succeeded(0));
        Assert.Equal(level.ShortestPath(), hidden.Steps(0));
    }

    [Fact]
    public void Shuffled_cells_permute_every_channel_by_one_fixed_permutation()
    {
        var levels = Enumerable.Range(0, 3).Select(s => MazeLevel.Generate(s, 7)).ToArray();
        var options = new MazeOptions(Side: 7, Randomization: MazeRandomization.ShuffledCells, PermutationSeed: 11);
        var plain = new MazeBatch(new MazeOptions(Side: 7));
        var shuffled = new MazeBatch(options);
        plain.Reset(levels);
        shuffled.Reset(levels);
        var order = shuffled.CellOrder;
        Assert.Equal(Enumerable.Range(0, 49), order.OrderBy(x => x));
        Assert.True(order.Where((p, k) => p != k).Count() > 40, "the permutation should move most cells");
        for (int b = 0; b < 3; b++)
            for (int c = 0; c < MazeBatch.Channels; c++)
                for (int k = 0; k < 49; k++)
                    Assert.Equal(plain.Observations[(b * 3 + c) * 49 + k], shuffled.Observations[(b * 3 + c) * 49 + order[k]]);
        Assert.Equal(order, new MazeBatch(options).CellOrder);                                   // same seed, same order
        Assert.NotEqual(order, new MazeBatch(options with { PermutationSeed = 12 }).CellOrder);
        // after a step the moved agent is written through the same permutation
        var rewards = new float[3];
        var actions = levels.Select(l => (long)Enumerable.Range(0, 4).First(a => l.Move(l.Start, a) != l.Start)).ToArray();
        plain.Step(actions, rewards);
        shuffled.Step(actions, rewards);
        for (int b = 0; b < 3; b++)
            Assert.Equal(1f, shuffled.Observations[(b * 3 + MazeBatch.AgentChannel) * 49 + order[plain.Position(b)]]);
    }

    [Fact]
    public void A_level_of_another_size_is_refused()
    {
        var env = new MazeBatch(new MazeOptions(Side: 7));
        var e = Assert.Throws<ShatterException>(() => env.Reset([MazeLevel.Generate(1, 9)]));
        Assert.Contains("does not fit", e.Message);
        Assert.Throws<ShatterException>(() => new MazeBatch(new MazeOptions(Side: 8)));
        Assert.Throws<ShatterException>(() => new MazeBatch(new MazeOptions(Side: 7, MaxSteps: -1)));
    }

    [Fact]
    public void Thousands_of_random_episodes_all_end_and_their_rate_is_printed()
    {
        // Not a speed assertion: the count and the ends are checked; the rate is printed for docs/beyond-supervised.md.
        const int Batches = 20, PerBatch = 500, Side = 9;
        var options = new MazeOptions(Side: Side);
        var source = MazeLevelSource.Fixed(100, Side, 5);
        var random = new SplitMix64(9);
        var env = new MazeBatch(options);
        var rewards = new float[PerBatch];
        var actions = new long[PerBatch];
        long steps = 0, successes = 0;
        var clock = Stopwatch.StartNew();
        for (int batch = 0; batch < Batches; batch++)
        {
            env.Reset(source.Draw(PerBatch));
            while (!env.AllDone)
            {
                for (int i = 0; i < PerBatch; i++) actions[i] = random.Below(MazeBatch.Actions);
                env.Step(actions, rewards);
            }
            for (int i = 0; i < PerBatch; i++)
            {
                Assert.True(env.Succeeded(i) || env.Steps(i) == options.StepCap);
                steps += env.Steps(i);
                successes += env.Succeeded(i) ? 1 : 0;
            }
        }
        clock.Stop();
        int episodes = Batches * PerBatch;
        Assert.InRange(successes, 1, episodes - 1); // a random walk finds some goals within side² steps, not all
        output.WriteLine($"maze {Side}×{Side}, uniform random actions, environment only: {episodes} episodes, {steps} steps, " +
            $"{successes / (double)episodes:P0} reached the goal, {episodes / clock.Elapsed.TotalMinutes:N0} episodes/min, {steps / clock.Elapsed.TotalSeconds:N0} steps/s on one thread");
    }

    /// <summary>The actions of a shortest path from start to goal (BFS).</summary>
    internal static long[] PathActions(MazeLevel level)
    {
        var from = new Dictionary<int, (int Cell, int Action)> { [level.Start] = (-1, -1) };
        var queue = new Queue<int>([level.Start]);
        while (queue.Count > 0)
        {
            int cell = queue.Dequeue();
            for (int a = 0; a < MazeBatch.Actions; a++)
            {
                int to = level.Move(cell, a);
                if (from.ContainsKey(to)) continue;
                from[to] = (cell, a);
                queue.Enqueue(to);
            }
        }
        var path = new List<long>();
        for (int cell = level.Goal; cell != level.Start; cell = from[cell].Cell) path.Add(from[cell].Action);
        path.Reverse();
        return path.ToArray();
    }
}
