using Shatter.Corruptions;
using Shatter.Tests.Cli;
using Shatter.Tests.Data;
using Shatter.Training;
using static TorchSharp.torch;

namespace Shatter.Tests.Training;

/// <summary>The user's own images, <c>folder:PATH</c> and <c>npz:PATH</c>, trained by the zoo's models under the paper's corruptions.</summary>
[Collection(SerialTorchRandom.Name)]
public sealed class UserDataTrainingTests
{
    static TrainConfig Config(string dataset) => new() { Dataset = dataset, Model = "mlp-1x16", Epochs = 2, BatchSize = 8, Threads = 1 };

    public static TheoryData<string, double, InputMode> Corruptions => new()
    {
        { "folder", 0, InputMode.True },
        { "folder", 1, InputMode.True },
        { "folder", 0, InputMode.Shuffled },
        { "npz", 0.5, InputMode.Random },
        { "npz", 0, InputMode.Gaussian },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void The_users_images_train_a_zoo_model_under_the_label_and_pixel_corruptions(string source, double labelNoise, InputMode inputs)
    {
        using var folder = new TempFolder();
        var dataset = source == "folder" ? "folder:" + UserTrees.ImageTree(folder["images"]) : "npz:" + UserTrees.Npz(folder["data.npz"]);
        var config = Config(dataset) with { LabelNoise = labelNoise, Inputs = inputs, ImageSize = source == "folder" ? 8 : null };
        var summary = Trainer.Run(config, folder["run"]);
        Assert.Equal(2, summary.Epochs);
        // 10 per class split 8/2 by the seeded fraction; the npz's own 30 and 12
        Assert.Equal(source == "folder" ? (24, 6) : (30, 12), (summary.TrainSize, summary.TestSize));
        Assert.Equal(inputs == InputMode.True ? 0 : 1, summary.FractionInputsChanged);
        if (labelNoise == 1) Assert.True(summary.FractionLabelsChanged > 0.5, $"{summary.FractionLabelsChanged} of the labels changed");
        if (labelNoise == 0) Assert.Equal(0, summary.FractionLabelsChanged);
        using var data = TrainingData.Prepare(config, CPU);
        Assert.Equal(source == "folder" ? (3, 8, 8) : (1, 8, 8), data.InputShape);        // RGB kept, resized; no crop by default
    }

    [Fact]
    public void The_second_run_on_an_image_folder_reads_its_cache_and_decodes_nothing()
    {
        using var folder = new TempFolder();
        var root = UserTrees.ImageTree(folder["images"]);
        var config = Config("folder:" + root) with { ImageSize = 8 };
        var first = Trainer.Run(config, folder["first"]);
        Assert.Single(Directory.GetFiles(Path.Combine(root, ".shatter-cache")));

        // damage an image without changing its length or time: only a run that decoded it would notice
        var image = Path.Combine(root, "bee", "03.png");
        var time = File.GetLastWriteTimeUtc(image);
        File.WriteAllBytes(image, new byte[new FileInfo(image).Length]);
        File.SetLastWriteTimeUtc(image, time);
        var second = Trainer.Run(config, folder["second"]);
        Assert.Equal(first.FinalTrainLoss, second.FinalTrainLoss);
        var info = CliRunner.Run("data", "info", "folder:" + root, "--image-size", "8");
        Assert.True(info.ExitCode == 0, info.Error);
        Assert.Contains("nothing decoded", info.Output);

        // another size is another cache: it decodes, and names the damaged file in one sentence
        var e = Assert.Throws<ShatterException>(() => Trainer.Run(config with { ImageSize = 6 }, folder["third"]));
        Assert.Contains(image, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
