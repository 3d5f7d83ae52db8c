using System.Text.Json;
using Shatter.Corruptions;
using Shatter.Data;
using Shatter.Experiments;
using Shatter.Tests.Data;
using Shatter.Training;
using static TorchSharp.torch;

namespace Shatter.Tests.Training;

/// <summary>Text classification through the trainer: token ids in ClassificationTask, the text models, the token randomizations.</summary>
[Collection(SerialTorchRandom.Name)]
public sealed class TextTrainingTests
{
    static readonly string[] Animals = ["cat", "dog", "horse", "cow", "sheep", "goat", "mouse", "bird"];
    static readonly string[] Tools = ["hammer", "saw", "drill", "wrench", "chisel", "spanner", "screw", "nail"];

    /// <summary>A text table of two topics, <paramref name="rows"/> rows: each text is six words of its topic's list.</summary>
    static string Table(TempFolder dir, int rows = 120)
    {
        var rng = new Random(5);
        var lines = new List<string> { "id,sentence,topic" };
        for (int i = 0; i < rows; i++)
        {
            var words = i % 2 == 0 ? Animals : Tools;
            lines.Add($"{i},\"{string.Join(' ', Enumerable.Range(0, 6).Select(_ => words[rng.Next(words.Length)]))}\",{(i % 2 == 0 ? "animals" : "tools")}");
        }
        File.WriteAllLines(dir["topics.csv"], lines);
        return $"csv:{dir["topics.csv"]}";
    }

    static TrainConfig Config(string dataset) => new()
    {
        Dataset = dataset, TextColumn = "sentence", LabelColumn = "topic", MaxTokens = 8, Model = "text-transformer-1x32",
        LearningRate = 0.05, LearningRateDecay = 1, BatchSize = 16, Threads = 1, Epochs = 60, UntilFit = true,
    };

    [Fact]
    public void A_transformer_fits_true_labels_of_a_text_table_and_generalizes_while_random_labels_fit_without_generalizing()
    {
        using var dir = new TempFolder();
        var dataset = Table(dir);
        var truth = Trainer.Run(Config(dataset), dir["true"]);
        Assert.Equal("classification", truth.Task ?? "classification");
        Assert.True(truth.Fitted, $"true labels reached train accuracy {truth.FinalTrainAccuracy}");
        Assert.True(truth.FinalTestAccuracy >= 0.9, $"test accuracy {truth.FinalTestAccuracy}");
        Assert.Equal(96, truth.TrainSize); // the seeded 0.2 split of 120 rows
        Assert.Equal(24, truth.TestSize);

        var random = Trainer.Run(Config(dataset) with { LabelNoise = 1, Epochs = 300 }, dir["random"]);
        Assert.True(random.Fitted, $"random labels reached train accuracy {random.FinalTrainAccuracy} in {random.Epochs} epochs");
        Assert.True(random.FinalTestAccuracy < 0.8, $"random labels still predicted the topics: test accuracy {random.FinalTestAccuracy}");
        Assert.InRange(random.FractionLabelsChanged, 0.3, 0.7); // two classes: a redrawn label keeps its class half the time
        Assert.True(random.StepsToFit > truth.StepsToFit, $"random labels fitted in {random.StepsToFit} steps, true ones in {truth.StepsToFit}");

        using var run = JsonDocument.Parse(File.ReadAllText(new RunFolder(dir["true"]).RunJson));
        var resolved = run.RootElement.GetProperty("resolved");
        Assert.Equal(8, resolved.GetProperty("max_tokens").GetInt32());
        Assert.Equal(2, resolved.GetProperty("classes").GetInt32());
        Assert.Equal("sentence", run.RootElement.GetProperty("config").GetProperty("text_column").GetString());
        // the compact vocabulary: padding, unknown and the GPT-2 pieces of 16 words (with and without a leading space), not GPT-2's 50,257
        Assert.InRange(resolved.GetProperty("vocabulary").GetInt32(), 2 + 16, 2 + 4 * 16);
    }

    [Fact]
    public void An_lstm_trains_on_a_text_folder_with_its_own_test_set()
    {
        using var dir = new TempFolder();
        var rng = new Random(3);
        foreach (var (split, count) in new[] { ("train", 20), ("test", 6) })
            foreach (var (topic, words) in new[] { ("animals", Animals), ("tools", Tools) })
            {
                Directory.CreateDirectory(dir[$"tree/{split}/{topic}"]);
                for (int i = 0; i < count; i++)
                    File.WriteAllText(dir[$"tree/{split}/{topic}/{i}.txt"], string.Join(' ', Enumerable.Range(0, 5).Select(_ => words[rng.Next(words.Length)])));
            }
        var summary = Trainer.Run(Config($"folder:{dir["tree"]}") with { TextColumn = null, LabelColumn = null, Model = "text-lstm-1x32", LearningRate = 0.1 }, dir["run"]);
        Assert.Equal(40, summary.TrainSize);
        Assert.Equal(12, summary.TestSize);
        Assert.True(summary.Fitted, $"train accuracy {summary.FinalTrainAccuracy}");
        Assert.True(summary.FinalTestAccuracy >= 0.9, $"test accuracy {summary.FinalTestAccuracy}");
    }

    [Fact]
    public void Shuffled_tokens_keep_each_texts_tokens_and_random_tokens_keep_its_length()
    {
        using var dir = new TempFolder();
        var dataset = Table(dir);
        using var truth = TrainingData.Prepare(Config(dataset), CPU);
        using var shuffled = TrainingData.Prepare(Config(dataset) with { Inputs = InputMode.ShuffledTokens }, CPU);
        using var random = TrainingData.Prepare(Config(dataset) with { Inputs = InputMode.RandomTokens }, CPU);
        Assert.Equal(ScalarType.Int64, truth.TrainX.dtype);
        Assert.Equal([96L, 8], truth.TrainX.shape);
        Assert.NotNull(truth.Text);
        using var sortedTruth = truth.TrainX.sort(1).Values;
        using var sortedShuffled = shuffled.TrainX.sort(1).Values;
        Assert.True(sortedTruth.eq(sortedShuffled).all().item<bool>(), "shuffled tokens changed a text's multiset of tokens");
        Assert.False(truth.TrainX.eq(shuffled.TrainX).all().item<bool>());
        Assert.True(shuffled.FractionInputsChanged > 0.9, $"shuffled {shuffled.FractionInputsChanged}");
        using var truthPadding = truth.TrainX.eq(0);
        using var randomPadding = random.TrainX.eq(0);
        Assert.True(truthPadding.eq(randomPadding).all().item<bool>(), "random tokens moved the padding");
        Assert.True(random.FractionInputsChanged > 0.9, $"random {random.FractionInputsChanged}");
        Assert.True(truth.TestY.eq(random.TestY).all().item<bool>()); // test labels stay true
    }

    [Fact]
    public void The_text_options_are_part_of_a_text_runs_identity_and_leave_image_identities_alone()
    {
        var table = new TrainConfig { Dataset = "csv:t.csv", TextColumn = "text", LabelColumn = "label", Model = "text-lstm-1x32" };
        Assert.NotEqual(RunIdentity.Hash(table), RunIdentity.Hash(table with { MaxTokens = 32 }));
        Assert.NotEqual(RunIdentity.Hash(table), RunIdentity.Hash(table with { TextColumn = "body" }));
        Assert.NotEqual(RunIdentity.Hash(table), RunIdentity.Hash(table with { LabelColumn = "stars" }));
        Assert.NotEqual(RunIdentity.Hash(table), RunIdentity.Hash(table with { Inputs = InputMode.ShuffledTokens }));
        var image = new TrainConfig();
        Assert.DoesNotContain("max_tokens", RunIdentity.Canonical(image));
        Assert.DoesNotContain("text_column", RunIdentity.Canonical(image));
    }

    [Theory]
    [InlineData("fortunes", "mlp-1x512", "--inputs shuffled randomizes pixels")]
    [InlineData("fortunes", "text-lstm-1x32", "--inputs gaussian randomizes pixels")]
    [InlineData("fashion-mnist", "mlp-1x512", "--inputs shuffled-tokens randomizes the tokens of texts, and fashion-mnist is not a text dataset")]
    public void Input_modes_of_the_other_kind_of_data_are_refused_in_one_sentence(string dataset, string model, string expected)
    {
        var mode = expected.Contains("gaussian") ? InputMode.Gaussian : expected.Contains("tokens") ? InputMode.ShuffledTokens : InputMode.Shuffled;
        var e = Assert.Throws<ShatterException>(() => new TrainConfig { Dataset = dataset, Model = model, Inputs = mode }.Validate());
        Assert.StartsWith(expected, e.Message);
        Assert.Single(e.Message.Split(". ", StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_subset_of_a_text_dataset_is_class_balanced()
    {
        using var dir = new TempFolder();
        using var data = TrainingData.Prepare(Config(Table(dir)) with { TrainSize = 20, TestSize = 10 }, CPU);
        Assert.Equal([10L, 10], data.TrainY.bincount(null, 2).data<long>().ToArray());
        Assert.Equal([5L, 5], data.TestY.bincount(null, 2).data<long>().ToArray());
        Assert.Equal(new TextOptions().MaxTokens, new TrainConfig().MaxTokens);
    }
}
