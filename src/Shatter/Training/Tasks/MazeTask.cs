using System.Globalization;
using Shatter.Environments;
using Shatter.Models;
using Shatter.Training.Reinforcement;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Shatter.Training.Tasks;

/// <summary>
/// Reinforcement learning on seeded grid mazes (<c>--dataset maze</c>; issue 21, after Zhang, Vinyals, Munos and Bengio
/// 2018 and Cobbe et al. 2019): a step is a batch of <c>--batch-size</c> episodes on training levels collected with the
/// policy (<see cref="RolloutCollector"/>) and the REINFORCE-with-baseline loss of that rollout (<see cref="ReinforceLoss"/>;
/// the trainer's SGD takes the step). An epoch is <see cref="UpdatesPerEpoch"/> steps. The score columns hold the success
/// rate (sampled actions) on the training levels and on new levels; the loss columns the negative mean discounted return
/// (lower is better, as a loss), so return = −loss. "Fitted": training-level success ≥ <c>--fit-target</c>.
/// <para>
/// Training levels: <c>--train-size</c> N fixed levels (each episode draws one uniformly), 0 = unlimited (a fresh level per
/// episode; the training levels evaluated are then the first <see cref="EvaluationEpisodes"/> the run trained on). New
/// levels: <c>--test-size</c> (0: <see cref="DefaultNewLevels"/>), none with a training level's layout. <c>--maze</c>: none
/// (true levels), random-goal, shuffled-cells (<see cref="MazeRandomization"/>). Every draw comes from the epoch's
/// <see cref="EpochRandom"/> streams ("levels", "actions"; saved in checkpoints) or from seeds of (run seed, epoch, step),
/// so a resumed run repeats the uninterrupted one bit for bit; the task keeps no other state.
/// </para>
/// The model is an <c>mlp-…</c> of the zoo's names as an actor-critic (<see cref="PolicyMlp"/>: a shared torso, 4 action
/// logits and a value). It runs on the CPU, where the environment steps.
/// </summary>
public sealed class MazeTask : ITrainingTask
{
    public const string DatasetName = "maze";
    /// <summary>The mazes' side (7×7: 16 rooms; 5×5 has at most 168 layouts, too few for 1,000 distinct levels).</summary>
    public const int Side = 7;
    public const int UpdatesPerEpoch = 10;
    public const int DefaultNewLevels = 100;
    /// <summary>Episodes of each evaluation on the training levels (at least one per level).</summary>
    public const int EvaluationEpisodes = 100;
    /// <summary>At most this many training levels are evaluated (the first ones), one episode each.</summary>
    public const int MaxEvaluatedLevels = 200;

    readonly TrainConfig config;
    readonly MazeOptions maze;
    readonly ReinforceOptions reinforce;
    readonly MazeLevelSource source;
    readonly MazeLevel[] evaluatedLevels, newLevels;
    readonly int episodesPerLevel;
    PolicyMlp? policy;
    int epoch;
    Generator? levelStream, actionStream;

    public MazeTask(TrainConfig config, Device device)
    {
        if (device.type != DeviceType.CPU)
            throw new ShatterException($"the maze agent runs on the CPU, where its environment steps, not on {device.type.ToString().ToLowerInvariant()}; use --device cpu.");
        this.config = config;
        maze = new MazeOptions(Side, 0, config.Maze, Seeds.Derive(config.Seed, "maze-cells"));
        // γ 0.99, c_v 0.5, β 0.01; advantages standardized per update, as the trainer's SGD (unlike Adam) does not rescale steps
        reinforce = new ReinforceOptions(Episodes: config.BatchSize, NormalizeAdvantages: true);
        long levelSeed = Seeds.Derive(config.Seed, "maze-levels");
        source = config.TrainSize == 0 ? MazeLevelSource.Unlimited(Side, levelSeed) : MazeLevelSource.Fixed(config.TrainSize, Side, levelSeed);
        evaluatedLevels = source.IsUnlimited ? [.. Enumerable.Range(0, EvaluationEpisodes).Select(k => Fresh(k))] : [.. source.Levels.Take(MaxEvaluatedLevels)];
        episodesPerLevel = Math.Max(1, (EvaluationEpisodes + evaluatedLevels.Length - 1) / evaluatedLevels.Length);
        newLevels = source.NewLevels(config.TestSize == 0 ? DefaultNewLevels : config.TestSize, Seeds.Derive(config.Seed, "maze-new-levels"));
    }

    /// <summary>
    /// The one sentence refusing an option a maze run cannot honour (with <paramref name="name"/> spelling an option's
    /// property as the caller writes it), or null. <see cref="TrainConfig.Validate"/> asks it, before the trainer makes the task.
    /// </summary>
    public static string? Refusal(TrainConfig c, Func<string, string> name)
    {
        if (c.Dataset != DatasetName)
            return c.Maze != MazeRandomization.None ? $"{name(nameof(TrainConfig.Maze))} randomizes maze levels; use it with {name(nameof(TrainConfig.Dataset))} maze or drop it." : null;
        string? Ignored(string property, string what) =>
            $"{name(property)} {what}; a maze run has no labels or images (its randomizations are {name(nameof(TrainConfig.Maze))} random-goal and shuffled-cells): drop it.";
        if (c.LabelNoise != 0) return Ignored(nameof(TrainConfig.LabelNoise), "changes labels");
        if (c.Inputs != Corruptions.InputMode.True) return Ignored(nameof(TrainConfig.Inputs), "randomizes pixels");
        if (c.Crop is not null) return Ignored(nameof(TrainConfig.Crop), "crops images");
        if (c.AugmentCrop || c.AugmentFlip) return Ignored(nameof(TrainConfig.Augment), "augments images");
        if (!c.Whiten) return Ignored(nameof(TrainConfig.Whiten), "leaves images unwhitened");
        if (!c.CorruptTestInputs) return Ignored(nameof(TrainConfig.CorruptTestInputs), "keeps test images clean");
        if (c.MemorizationEpochs is not null) return Ignored(nameof(TrainConfig.MemorizationEpochs), "measures examples");
        if (ModelRegistry.Describe(c.Model).Family != "mlp")
            return $"a maze agent is an MLP actor-critic, not {c.Model}; use {name(nameof(TrainConfig.Model))} mlp-<depth>x<width> (such as mlp-2x64).";
        return null;
    }

    public string Name => "maze";
    public TaskScore Score => TaskScore.SuccessRate;

    public IReadOnlyList<KeyValuePair<string, object?>> Resolved =>
    [
        new("maze_side", Side), new("episode_step_cap", maze.StepCap), new("training_levels", source.IsUnlimited ? "unlimited" : source.Levels.Count),
        new("new_levels", newLevels.Length), new("episodes_per_update", reinforce.Episodes), new("updates_per_epoch", UpdatesPerEpoch),
        new("evaluated_training_episodes", evaluatedLevels.Length * episodesPerLevel), new("gamma", reinforce.Gamma),
        new("value_coefficient", reinforce.ValueCoefficient), new("entropy_coefficient", reinforce.EntropyCoefficient),
        new("normalized_advantages", reinforce.NormalizeAdvantages),
    ];

    /// <summary>Set sizes are levels (0 training levels: unlimited); shuffled cells change every observation.</summary>
    public TaskSummary Summary => new(source.IsUnlimited ? 0 : source.Levels.Count, newLevels.Length,
        config.Maze == MazeRandomization.RandomGoal ? 1 : 0, config.Maze == MazeRandomization.ShuffledCells ? 1 : 0, null);

    /// <summary>The actor-critic of <c>--model</c> (its hidden widths), as one module whose output is (B, 4 + 1): logits, then the value.</summary>
    public nn.Module<Tensor, Tensor> CreateModel()
    {
        policy = new PolicyMlp(MazeBatch.Channels * Side * Side, HiddenWidths(config.Model), 4);
        return new ActorCritic(policy);
    }

    /// <summary>"mlp-2x64" → [64, 64]; "mlp-128-32" → [128, 32].</summary>
    public static int[] HiddenWidths(string model)
    {
        var body = ModelRegistry.Describe(model).Name[4..];
        var parts = body.Split('x');
        int Parse(string s) => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);
        return parts.Length == 2 ? Enumerable.Repeat(Parse(parts[1]), Parse(parts[0])).ToArray() : [.. body.Split('-').Select(Parse)];
    }

    public int StepsPerEpoch => UpdatesPerEpoch;

    public void BeginEpoch(int epoch, EpochRandom random)
    {
        this.epoch = epoch;
        levelStream = random.Stream("levels");
        actionStream = random.Stream("actions");
    }

    /// <summary>One rollout of <c>--batch-size</c> episodes and its loss; the samples are the transitions it took.</summary>
    public TrainStep Step(nn.Module<Tensor, Tensor> model, int index)
    {
        using var rollout = RolloutCollector.Collect(Policy, maze, TrainingEpisodes(index), actionStream!);
        var loss = ReinforceLoss.Compute(Policy, rollout, reinforce);
        return new TrainStep(loss.Total, loss.Steps);
    }

    /// <summary>The levels of step <paramref name="index"/>'s episodes: drawn from the "levels" stream, or fresh ones numbered by (epoch, step).</summary>
    MazeLevel[] TrainingEpisodes(int index)
    {
        int b = reinforce.Episodes;
        if (source.IsUnlimited)
        {
            long first = ((long)(epoch - 1) * UpdatesPerEpoch + index) * b;
            return [.. Enumerable.Range(0, b).Select(i => Fresh(first + i))];
        }
        using var drawn = randint(source.Levels.Count, [b], generator: levelStream!);
        return [.. drawn.data<long>().ToArray().Select(i => source.Levels[(int)i])];
    }

    /// <summary>The k-th level of an unlimited source, the same on every machine and resume.</summary>
    MazeLevel Fresh(long k) => MazeLevel.Generate(Seeds.Derive(config.Seed, $"maze-fresh-level-{k}"), Side);

    PolicyMlp Policy => policy ?? throw new InvalidOperationException("CreateModel has not been called");

    /// <summary>
    /// Success rates (score) and negative mean returns (loss) on the training levels and on the new levels, actions sampled
    /// with a generator seeded by (run seed, epoch): the same numbers on a resumed run.
    /// </summary>
    public Scores Evaluate(nn.Module<Tensor, Tensor> model, Evaluation evaluation)
    {
        using var generator = new Generator((ulong)Seeds.Derive(config.Seed, $"maze-evaluation/{evaluation.Epoch}"));
        var train = PolicyEvaluation.Evaluate(Policy, maze, evaluatedLevels, episodesPerLevel, reinforce.Gamma, generator);
        evaluation.Lap(TrainPhase.EvaluateTrain);
        var test = PolicyEvaluation.Evaluate(Policy, maze, newLevels, 1, reinforce.Gamma, generator);
        evaluation.Lap(TrainPhase.EvaluateTest);
        return new Scores(-train.MeanReturn, train.SuccessRate, -test.MeanReturn, test.SuccessRate);
    }

    public Scores? Remeasure(nn.Module<Tensor, Tensor> model, Evaluation evaluation) => null;

    public bool Fitted(EpochMetrics row) => row.TrainAccuracy >= config.FitTarget;

    /// <summary>summary.json's "measures": success and mean return on training and new levels, the gap, episodes to fit.</summary>
    public IReadOnlyDictionary<string, double>? SummaryMeasures(EpochMetrics last, long? stepsToFit)
    {
        var measures = new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["train_success"] = last.TrainAccuracy, ["new_success"] = last.TestAccuracy, ["gap"] = last.TrainAccuracy - last.TestAccuracy,
            ["train_return"] = -last.TrainLoss, ["new_return"] = -last.TestLoss,
        };
        if (stepsToFit is { } steps) measures["episodes_to_fit"] = steps * reinforce.Episodes;
        return measures;
    }

    /// <summary>Nothing beyond the epoch's streams (saved by the trainer): the levels are functions of the seed.</summary>
    public CheckpointState SaveTo(CheckpointState state) => state;

    public void RestoreFrom(CheckpointState state) { }

    /// <summary>maze-levels.csv: the fixed training levels evaluated (seed, shortest path), none for an unlimited source.</summary>
    public void WriteSetup(RunFolder run)
    {
        if (source.IsUnlimited) return;
        File.WriteAllLines(Path.Combine(run.Path, "maze-levels.csv"),
            ["index,seed,shortest_path", .. source.Levels.Take(MaxEvaluatedLevels).Select((l, i) => string.Create(CultureInfo.InvariantCulture, $"{i},{l.Seed},{l.ShortestPath()}"))]);
    }

    public void WriteResults(RunFolder run) { }

    public void Dispose() { }

    /// <summary>(B, 3, H, W) → (B, 5): the policy's 4 action logits, then its value, for the trainer's one-output contract.</summary>
    sealed class ActorCritic : nn.Module<Tensor, Tensor>
    {
        readonly PolicyMlp policy;

        public ActorCritic(PolicyMlp policy) : base(nameof(ActorCritic))
        {
            this.policy = policy;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var (logits, value) = policy.call(input);
            return cat([logits, value.unsqueeze(1)], 1).MoveToOuterDisposeScope();
        }
    }
}
