using Shatter.Environments;
using static TorchSharp.torch;

namespace Shatter.Training.Reinforcement;

/// <summary>
/// One update of REINFORCE with a baseline, the unit a trainer task repeats per epoch: draw
/// <see cref="ReinforceOptions.Episodes"/> levels from the training source, collect one episode on each
/// (<see cref="RolloutCollector"/>), compute <see cref="ReinforceLoss"/> and take one Adam step. Holds the optimizer
/// and the sampling generator (seeded), so a learner built twice from the same seeds and initial weights makes the same
/// episodes and the same weights.
/// </summary>
public sealed class ReinforceLearner : IDisposable
{
    readonly nn.Module<Tensor, (Tensor Logits, Tensor Value)> policy;
    readonly MazeOptions maze;
    readonly ReinforceOptions options;
    readonly Adam optimizer;
    readonly Generator generator;

    public ReinforceLearner(nn.Module<Tensor, (Tensor Logits, Tensor Value)> policy, MazeOptions maze, ReinforceOptions options, long samplingSeed)
    {
        maze.Validate();
        options.Validate();
        this.policy = policy;
        this.maze = maze;
        this.options = options;
        optimizer = new Adam(policy.parameters(), options.LearningRate);
        generator = new Generator((ulong)samplingSeed);
    }

    /// <summary>The generator actions are sampled with (shared with <see cref="Evaluate"/>).</summary>
    public Generator Generator => generator;

    /// <summary>Collects a batch of episodes on the training levels and takes one optimizer step.</summary>
    public ReinforceUpdate Update(MazeLevelSource training)
    {
        using var scope = NewDisposeScope();
        using var rollout = RolloutCollector.Collect(policy, maze, training.Draw(options.Episodes), generator);
        optimizer.ZeroGrad();
        using var loss = ReinforceLoss.Compute(policy, rollout, options);
        loss.Total.backward();
        optimizer.Step();
        return new ReinforceUpdate(rollout.Episodes, rollout.SuccessRate, rollout.MeanReturn(options.Gamma),
            rollout.Lengths.Average(), loss.Policy, loss.Value, loss.Entropy);
    }

    /// <summary>Success rate and return on given levels (training or new), sampling actions.</summary>
    public MazeEvaluation Evaluate(IReadOnlyList<MazeLevel> levels, int episodesPerLevel) =>
        PolicyEvaluation.Evaluate(policy, maze, levels, episodesPerLevel, options.Gamma, generator);

    public void Dispose()
    {
        optimizer.Dispose();
        generator.Dispose();
    }
}
