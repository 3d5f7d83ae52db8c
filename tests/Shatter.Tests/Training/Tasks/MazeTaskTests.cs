using System.Text.Json;
using Shatter.Environments;
using Shatter.Tests.Data;
using Shatter.Training;
using Shatter.Training.Tasks;
using static TorchSharp.torch;

namespace Shatter.Tests.Training.Tasks;

/// <summary>
/// The maze task (<c>--dataset maze</c>) through the real trainer: the same seed gives the same episodes, losses and scores
/// (and another seed does not), a tiny case is fitted, a --max-steps stop inside an epoch resumes bit for bit (the task's
/// level and action streams in the checkpoint), and the options a maze run cannot honour are refused in one sentence.
/// Serial: runs are compared bit for bit and libtorch's default generator (initialisation) is process-wide.
/// </summary>
[Collection(SerialTorchRandom.Name)]
public sealed class MazeTaskTests
{
    /// <summary>A small, fast maze run: 2 fixed levels, 16 episodes per update, one thread.</summary>
    static readonly TrainConfig Tiny = new()
    {
        Dataset = MazeTask.DatasetName, Model = "mlp-1x64", TrainSize = 2, TestSize = 20, BatchSize = 16, Epochs = 3, LearningRate = 0.05,
        LearningRateDecay = 1, Threads = 1,
    };

    /// <summary>The CSV without its wall-clock column (the last), so two runs compare on what they computed.</summary>
    static string[] WithoutSeconds(string csv) => File.ReadAllLines(csv).Select(l => l[..l.LastIndexOf(',')]).ToArray();

    static string[] Steps(string run) => File.ReadAllLines(Path.Combine(run, "steps.csv"));

    [Fact]
    public void The_same_seed_repeats_a_run_bit_for_bit_and_another_seed_does_not()
    {
        using var folder = new TempFolder();
        foreach (var (name, seed) in new[] { ("a", 4L), ("b", 4L), ("c", 5L) })
            Trainer.Run(Tiny with { Seed = seed, Maze = MazeRandomization.ShuffledCells }, folder[name]);
        Assert.Equal(WithoutSeconds(Path.Combine(folder["a"], "epochs.csv")), WithoutSeconds(Path.Combine(folder["b"], "epochs.csv")));
        Assert.Equal(Steps(folder["a"]), Steps(folder["b"]));
        Assert.Equal(File.ReadAllText(Path.Combine(folder["a"], "maze-levels.csv")), File.ReadAllText(Path.Combine(folder["b"], "maze-levels.csv")));
        Assert.NotEqual(Steps(folder["a"]), Steps(folder["c"]));
        Assert.NotEqual(File.ReadAllText(Path.Combine(folder["a"], "maze-levels.csv")), File.ReadAllText(Path.Combine(folder["c"], "maze-levels.csv")));
        Assert.Equal(1 + Tiny.Epochs * MazeTask.UpdatesPerEpoch, Steps(folder["a"]).Length);
    }

    [Fact]
    public void A_tiny_case_is_fitted_and_a_stop_inside_an_epoch_resumes_bit_for_bit()
    {
        using var folder = new TempFolder();
        var config = Tiny with { Epochs = 60, UntilFit = true, FitTarget = 0.9 };
        var whole = Trainer.Run(config, folder["whole"]);
        Assert.Equal(("maze", "fit"), (whole.Task, whole.StopReason));
        var rows = RunFolder.ReadEpochs(Path.Combine(folder["whole"], "epochs.csv"));
        Assert.True(rows[0].TrainAccuracy < 0.9, $"the initial policy already reaches the goal: {rows[0].TrainAccuracy}");
        Assert.True(rows[^1].TrainAccuracy >= 0.9);
        Assert.Equal(-rows[^1].TrainLoss, -whole.FinalTrainLoss);
        Assert.True(-whole.FinalTrainLoss > 0.5, $"mean return {-whole.FinalTrainLoss} of a fitted agent (γ^(length−1) on success)");
        Assert.Equal((2, 20), (whole.TrainSize, whole.TestSize));
        var measures = whole.Measures!;
        Assert.Equal(whole.StepsToFit!.Value * 16.0, measures["episodes_to_fit"]);  // 16 episodes per step
        Assert.Equal((whole.FinalTrainAccuracy, whole.FinalTestAccuracy, -whole.FinalTestLoss), (measures["train_success"], measures["new_success"], measures["new_return"]));
        Assert.Equal(whole.FinalTrainAccuracy - whole.FinalTestAccuracy, measures["gap"]);

        // stopped at step 15, inside epoch 2: the checkpoint holds the epoch's level and action streams
        var stopped = Trainer.Run(config with { MaxSteps = 15 }, folder["cut"]);
        Assert.Equal(("max-steps", 15L), (stopped.StopReason, stopped.Steps));
        var checkpoint = Directory.GetDirectories(folder["cut"], "checkpoint-*").Single();
        Assert.True(File.Exists(Path.Combine(checkpoint, "levels-generator.bin")) && File.Exists(Path.Combine(checkpoint, "actions-generator.bin")));
        var resumed = Trainer.Run(config, folder["cut"], resume: true);
        Assert.Equal(WithoutSeconds(Path.Combine(folder["whole"], "epochs.csv")), WithoutSeconds(Path.Combine(folder["cut"], "epochs.csv")));
        Assert.Equal(Steps(folder["whole"]), Steps(folder["cut"]));
        Assert.Equal((whole.StepsToFit, whole.FinalTestAccuracy, whole.FinalTestLoss), (resumed.StepsToFit, resumed.FinalTestAccuracy, resumed.FinalTestLoss));
    }

    [Fact]
    public void Unlimited_levels_draw_a_fresh_level_per_episode_and_say_so()
    {
        using var folder = new TempFolder();
        var summary = Trainer.Run(Tiny with { TrainSize = 0, Epochs = 1, Maze = MazeRandomization.RandomGoal }, folder.Path);
        Assert.Equal((0, 20, 1.0), (summary.TrainSize, summary.TestSize, summary.FractionLabelsChanged));
        Assert.False(File.Exists(Path.Combine(folder.Path, "maze-levels.csv")));
        using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.Path, "run.json")));
        var resolved = run.RootElement.GetProperty("resolved");
        Assert.Equal("unlimited", resolved.GetProperty("training_levels").GetString());
        Assert.Equal(MazeTask.EvaluationEpisodes, resolved.GetProperty("evaluated_training_episodes").GetInt32());
        Assert.Equal("random-goal", run.RootElement.GetProperty("config").GetProperty("maze").GetString());
    }

    [Fact]
    public void Options_a_maze_run_cannot_honour_are_refused_in_one_sentence()
    {
        string Refused(TrainConfig c) => Assert.Throws<ShatterException>(() => c.Validate()).Message;
        Assert.Equal("--label-noise changes labels; a maze run has no labels or images (its randomizations are --maze random-goal and shuffled-cells): drop it.",
            Refused(Tiny with { LabelNoise = 1 }));
        Assert.StartsWith("--inputs randomizes pixels;", Refused(Tiny with { Inputs = Shatter.Corruptions.InputMode.Shuffled }));
        Assert.StartsWith("--augment augments images;", Refused(Tiny with { Augment = "flip" }));
        Assert.StartsWith("--crop crops images;", Refused(Tiny with { Crop = 5 }));
        Assert.Equal("--maze randomizes maze levels; use it with --dataset maze or drop it.", Refused(new TrainConfig { Model = "mlp-1x64", Maze = MazeRandomization.RandomGoal }));
        Assert.Equal("a maze agent is an MLP actor-critic, not alexnet; use --model mlp-<depth>x<width> (such as mlp-2x64).", Refused(Tiny with { Model = "alexnet" }));
        Assert.Contains("option 'label_noise' changes labels",
            Assert.Throws<ShatterException>(() => (Tiny with { LabelNoise = 0.5 }).Validate(OptionSpelling.Spec)).Message);
        Tiny.Validate(); // the tiny case itself is fine
        var cuda = new Device(TorchSharp.DeviceType.CUDA, 0);
        Assert.Equal("the maze agent runs on the CPU, where its environment steps, not on cuda; use --device cpu.",
            Assert.Throws<ShatterException>(() => new MazeTask(Tiny, cuda)).Message);
    }

    [Fact]
    public void Hidden_widths_come_from_the_model_name()
    {
        Assert.Equal([64, 64], MazeTask.HiddenWidths("mlp-2x64"));
        Assert.Equal([128, 32], MazeTask.HiddenWidths("mlp-128-32"));
        Assert.Equal([512], MazeTask.HiddenWidths("mlp-1x512"));
    }
}
