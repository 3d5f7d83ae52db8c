using Shatter.Corruptions;
using Shatter.Tests.Data;
using Shatter.Training;
using Shatter.Training.Tasks;

namespace Shatter.Tests.Training.Tasks;

/// <summary>
/// The reconstruction task of autoencoders (issue 21): chosen by an ae-* model, trained by the real trainer on Fashion-MNIST
/// images until the training MSE reaches --reconstruction-target, resumed bit for bit, and the options it refuses. Serial:
/// runs are compared bit for bit and libtorch's default generator (initialisation) is process-wide.
/// </summary>
[Collection(SerialTorchRandom.Name)]
public sealed class AutoencoderTaskTests
{
    /// <summary>8 images in batches of 4 (two steps an epoch), an MLP autoencoder at a rate that fits them in tens of epochs.</summary>
    static TrainConfig Small(InputMode inputs = InputMode.True) => new()
    {
        Model = "ae-mlp-1x128", TrainSize = 8, TestSize = 20, BatchSize = 4, LearningRate = 0.2, UntilFit = true, Epochs = 400,
        ReconstructionTarget = 0.01, Inputs = inputs, Threads = 1,
    };

    /// <summary>The CSV without its wall-clock column (the last), so two runs compare on what they computed.</summary>
    static string[] WithoutSeconds(string csv) => File.ReadAllLines(csv).Select(l => l[..l.LastIndexOf(',')]).ToArray();

    [Fact]
    public void An_autoencoder_fits_its_images_to_the_reconstruction_target_and_resumes_a_max_steps_stop_bit_for_bit()
    {
        using var folder = new TempFolder();
        var config = Small(InputMode.Gaussian);
        var whole = Trainer.Run(config, folder["whole"]);
        Assert.Equal(("reconstruction", "fit"), (whole.Task, whole.StopReason));
        Assert.Equal(1.0, whole.FractionInputsChanged); // every training image replaced by Gaussian pixels
        var rows = RunFolder.ReadEpochs(Path.Combine(folder["whole"], "epochs.csv"));
        Assert.True(rows[0].TrainLoss > 0.5, $"the initial map already reconstructs: MSE {rows[0].TrainLoss}");
        Assert.True(rows[^1].TrainLoss <= 0.01 && rows[^2].TrainLoss > 0.01, $"not stopped at the first row at the target: {rows[^2].TrainLoss}, {rows[^1].TrainLoss}");
        Assert.Equal(rows[^1].Epoch, whole.EpochsToFit);
        // the score is 1 − MSE / variance of the training pixels (run.json's), so about 1 − MSE on whitened images
        using (var run = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder["whole"], "run.json"))))
        {
            double variance = run.RootElement.GetProperty("resolved").GetProperty("train_pixel_variance").GetDouble();
            Assert.InRange(variance, 0.9, 1.1);
            Assert.Equal(1 - whole.FinalTrainLoss / variance, whole.FinalTrainAccuracy, 12);
        }
        Assert.True(whole.FinalTestLoss > 10 * whole.FinalTrainLoss, $"new Gaussian images reconstructed as well as the training ones: {whole.FinalTestLoss} against {whole.FinalTrainLoss}");

        var stopped = Trainer.Run(config with { MaxSteps = 5 }, folder["cut"]);  // inside epoch 3
        Assert.Equal(("max-steps", 5L), (stopped.StopReason, stopped.Steps));
        var resumed = Trainer.Run(config, folder["cut"], resume: true);
        Assert.Equal(WithoutSeconds(Path.Combine(folder["whole"], "epochs.csv")), WithoutSeconds(Path.Combine(folder["cut"], "epochs.csv")));
        Assert.Equal(File.ReadAllLines(Path.Combine(folder["whole"], "steps.csv")), File.ReadAllLines(Path.Combine(folder["cut"], "steps.csv")));
        Assert.Equal((whole.FinalTrainLoss, whole.StepsToFit), (resumed.FinalTrainLoss, resumed.StepsToFit));
    }

    [Fact]
    public void The_registry_gives_autoencoders_the_reconstruction_task_and_classifiers_theirs()
    {
        Assert.Equal("reconstruction", TrainingTasks.All.First(e => e.Trains(new TrainConfig { Model = "ae-conv-2x16" })).Name);
        Assert.Equal("classification", TrainingTasks.All.First(e => e.Trains(new TrainConfig { Model = "mlp-1x512" })).Name);
        // the registry's score is the task's own, so progress lines and reports that read it name what the columns hold
        Assert.Equal(TaskScore.Reconstruction, TrainingTasks.Of(new TrainConfig { Model = "ae-conv-2x16" }).Score);
        Assert.Equal(TaskScore.Reconstruction, TrainingTasks.ScoreOf("reconstruction"));
        Assert.Equal(TaskScore.Accuracy, TrainingTasks.ScoreOf(null));
        Assert.Equal(double.NaN, AutoencoderTask.ScoreOf(0.5, 0));
        Assert.Equal(0.75, AutoencoderTask.ScoreOf(0.5, 2), 15);
    }

    static string Refusal(TrainConfig config, OptionSpelling spelling = OptionSpelling.Cli) =>
        Assert.Throws<ShatterException>(() => config.Validate(spelling)).Message;

    [Fact]
    public void Label_options_and_what_an_autoencoder_cannot_do_are_refused_in_one_sentence_naming_the_option()
    {
        var ae = new TrainConfig { Model = "ae-mlp-3x512" };
        ae.Validate();
        Assert.Equal("--label-noise acts on class labels, which an autoencoder (ae-mlp-3x512) never reads; drop it (randomize its images with --inputs, and set its fit with --reconstruction-target).",
            Refusal(ae with { LabelNoise = 1 }));
        Assert.StartsWith("option 'label_noise_mode' acts on class labels", Refusal(ae with { LabelNoiseMode = LabelNoiseMode.PairFlip }, OptionSpelling.Spec));
        Assert.StartsWith("--fit-target acts on class labels", Refusal(ae with { FitTarget = 0.9 }));
        Assert.StartsWith("--memorization-epochs acts on class labels", Refusal(ae with { MemorizationEpochs = "1,2" }));
        Assert.StartsWith("--augment is not supported for an autoencoder", Refusal(ae with { Augment = "flip" }));
        Assert.StartsWith("the autoencoders of the zoo have no dropout layers; drop --dropout", Refusal(ae with { Dropout = 0.5 }));
        Assert.StartsWith("an autoencoder (ae-mlp-3x512) reconstructs images, and house-prices is not an image dataset", Refusal(ae with { Dataset = "house-prices" }));
        Assert.Equal("--reconstruction-target is an autoencoder's fit; mlp-1x512 is not one: drop it, or train an ae-* model ('shatter models').",
            Refusal(new TrainConfig { ReconstructionTarget = 0.01 }));
        Assert.Contains("--reconstruction-target", Refusal(ae with { ReconstructionTarget = 0 }));
        Assert.All(new[] { Refusal(ae with { LabelNoise = 1 }), Refusal(new TrainConfig { ReconstructionTarget = 0.01 }) },
            m => Assert.Single(m.Split(". ", StringSplitOptions.None)));
    }
}
