using System.Text.Json;
using Shatter.Tests.Data;
using Shatter.Training;
using static TorchSharp.torch;

namespace Shatter.Tests.Training;

/// <summary>
/// The task interface is enough for tasks that are not the paper's: the real trainer runs two tests-only tasks — a
/// denoising reconstruction loss (<see cref="ReconstructionTask"/>) and a semi-supervised two-headed loss
/// (<see cref="TwoHeadedTask"/>) — end to end: rows, the fit rule, checkpoints inside an epoch and a resumption that
/// ends bit for bit as the uninterrupted run. Serial: runs are compared bit for bit and libtorch's default generator
/// (initialisation, dropout) is process-wide.
/// </summary>
[Collection(SerialTorchRandom.Name)]
public sealed class TaskInterfaceTests
{
    static TrainerOptions With(Func<TrainConfig, Device, ITrainingTask> task, bool resume = false) => new() { Task = task, Resume = resume };

    /// <summary>The CSV without its wall-clock column (the last), so two runs compare on what they computed.</summary>
    static string[] WithoutSeconds(string csv) => File.ReadAllLines(csv).Select(l => l[..l.LastIndexOf(',')]).ToArray();

    static void AssertSameRun(string whole, string resumed)
    {
        Assert.Equal(WithoutSeconds(Path.Combine(whole, "epochs.csv")), WithoutSeconds(Path.Combine(resumed, "epochs.csv")));
        Assert.Equal(File.ReadAllLines(Path.Combine(whole, "steps.csv")), File.ReadAllLines(Path.Combine(resumed, "steps.csv")));
    }

    [Fact]
    public void The_trainer_fits_a_reconstruction_task_and_resumes_its_max_steps_stop_bit_for_bit()
    {
        using var folder = new TempFolder();
        // 300 points / 30 = 10 steps per epoch; the fit: reconstruction error at most 10% of the data's variance
        var config = new TrainConfig { Model = "mlp-1x64", TrainSize = 300, TestSize = 100, BatchSize = 30, Epochs = 300, UntilFit = true, FitTarget = 0.9, LearningRate = 0.002, Threads = 1 };
        static ITrainingTask Make(TrainConfig c, Device d) => new ReconstructionTask(c, d);
        var whole = Trainer.Run(config, folder["whole"], With(Make));
        Assert.Equal("reconstruction", whole.Task);
        Assert.Equal("fit", whole.StopReason);
        var rows = RunFolder.ReadEpochs(Path.Combine(folder["whole"], "epochs.csv"));
        Assert.True(rows[0].TrainAccuracy < 0.5, $"the initial model already reconstructs: {rows[0].TrainAccuracy}");
        Assert.True(rows[^1].TrainAccuracy >= 0.9 && rows[^2].TrainAccuracy < 0.9);   // stopped at the first fitted row
        Assert.Equal(rows[^1].Epoch, whole.EpochsToFit);
        Assert.True(whole.FinalTestAccuracy > 0.8, $"test score {whole.FinalTestAccuracy}"); // the subspace, not the points, was learnt

        // stopped inside epoch 3 (step 25 of 10 a epoch): the checkpoint holds the epoch's noise stream, the resumption continues it
        var stopped = Trainer.Run(config with { MaxSteps = 25 }, folder["cut"], With(Make));
        Assert.Equal(("max-steps", 25L), (stopped.StopReason, stopped.Steps));
        var checkpoint = Directory.GetDirectories(folder["cut"], "checkpoint-*").Single();
        Assert.True(File.Exists(Path.Combine(checkpoint, "noise-generator.bin")) && File.Exists(Path.Combine(checkpoint, "dropout-generator.bin")));
        var resumed = Trainer.Run(config, folder["cut"], With(Make, resume: true));
        AssertSameRun(folder["whole"], folder["cut"]);
        Assert.Equal(whole.FinalTrainLoss, resumed.FinalTrainLoss);
        Assert.Equal(whole.StepsToFit, resumed.StepsToFit);
    }

    [Fact]
    public void The_trainer_runs_a_two_headed_semi_supervised_task_and_resumes_it_with_its_record_bit_for_bit()
    {
        using var folder = new TempFolder();
        // 40 labelled points / 8 = 5 steps per epoch, each with 24 unlabelled points; dropout draws from the default generator
        var config = new TrainConfig { Model = "mlp-1x32", TrainSize = 40, TestSize = 200, BatchSize = 8, Epochs = 8, Dropout = 0.2, Threads = 1, LearningRateDecay = 1 };
        static ITrainingTask Make(TrainConfig c, Device d) => new TwoHeadedTask(c, d);
        var whole = Trainer.Run(config, folder["whole"], With(Make));
        Assert.Equal(("two-headed", "epochs", 8, 40L), (whole.Task, whole.StopReason, whole.Epochs, whole.Steps));
        Assert.Equal(40 * (1 + TwoHeadedTask.UnlabelledPerLabelled) * 8 / whole.WallSeconds, whole.TrainSamplesPerSecond, 6); // both batches count as samples
        var rows = RunFolder.ReadEpochs(Path.Combine(folder["whole"], "epochs.csv"));
        Assert.True(rows[^1].TrainLoss < rows[0].TrainLoss, $"the labelled loss did not fall: {rows[0].TrainLoss} → {rows[^1].TrainLoss}");
        Assert.True(whole.FinalTestAccuracy > 0.6, $"test accuracy {whole.FinalTestAccuracy} (chance: 0.25)");

        var stopped = Trainer.Run(config with { MaxSteps = 13 }, folder["cut"], With(Make));  // inside epoch 3
        Assert.Equal(13, stopped.Steps);
        using (var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory.GetDirectories(folder["cut"], "checkpoint-*").Single(), "state.json"))))
        {
            Assert.Equal(2, state.RootElement.GetProperty("epoch").GetInt32());                 // the record as at epoch 2's end
            Assert.Equal(40, state.RootElement.GetProperty("task_state").GetProperty("first_right").GetArrayLength());
        }
        Trainer.Run(config, folder["cut"], With(Make, resume: true));
        AssertSameRun(folder["whole"], folder["cut"]);
        Assert.Equal(File.ReadAllText(Path.Combine(folder["whole"], "labelled.csv")), File.ReadAllText(Path.Combine(folder["cut"], "labelled.csv")));
        Assert.Contains(File.ReadAllLines(Path.Combine(folder["whole"], "labelled.csv")).Skip(1), l => !l.EndsWith(",-1", StringComparison.Ordinal));
    }
}
