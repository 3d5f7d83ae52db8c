using System.Text.Json;
using Shatter.Tests.Data;

namespace Shatter.Tests.Cli;

/// <summary><c>shatter train</c> on texts: fortunes, csv:PATH --text --label, folder:PATH of .txt files, and their bad inputs.</summary>
[Collection(Training.SerialTorchRandom.Name)]
public sealed class TextTrainCommandTests
{
    static string Table(TempFolder dir)
    {
        File.WriteAllLines(dir["t.csv"], ["body,stars", "\"good film, great\",good", "awful,bad", "fine,good", "poor,bad", "superb,good", "dreadful,bad"]);
        return $"csv:{dir["t.csv"]}";
    }

    static CliRunner.Result Train(TempFolder dir, params string[] args) =>
        CliRunner.Run(["train", .. args, "--epochs", "1", "--threads", "1", "--quiet", "--out", dir["run"]]);

    [Fact]
    public void Fortunes_trains_a_text_transformer_out_of_the_box()
    {
        using var dir = new TempFolder();
        var r = Train(dir, "--dataset", "fortunes", "--model", "text-transformer-1x32", "--max-tokens", "16", "--train-size", "320", "--test-size", "64", "--label-noise", "0.5");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("train accuracy", r.Output);
        using var run = JsonDocument.Parse(File.ReadAllText(dir["run/run.json"]));
        var resolved = run.RootElement.GetProperty("resolved");
        Assert.Equal(32, resolved.GetProperty("classes").GetInt32());
        Assert.Equal(16, resolved.GetProperty("max_tokens").GetInt32());
        Assert.Equal(320, resolved.GetProperty("train_size").GetInt32());
        using var summary = JsonDocument.Parse(File.ReadAllText(dir["run/summary.json"]));
        Assert.InRange(summary.RootElement.GetProperty("fraction_labels_changed").GetDouble(), 0.3, 0.6); // 0.5 · 31/32 expected
    }

    [Fact]
    public void A_text_table_column_the_header_lacks_is_one_sentence_listing_the_header()
    {
        using var dir = new TempFolder();
        var r = Train(dir, "--dataset", Table(dir), "--text", "review", "--label", "stars", "--model", "text-lstm-1x16");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("review", r.Error);
        Assert.Contains("body", r.Error);
        Assert.Single(r.Error.Trim().Split('\n'));
        Assert.False(File.Exists(dir["run/summary.json"]));
    }

    [Fact]
    public void A_text_column_without_a_label_column_is_one_sentence()
    {
        using var dir = new TempFolder();
        var r = Train(dir, "--dataset", Table(dir), "--text", "body", "--model", "text-lstm-1x16");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("needs --label COLUMN", r.Error);
    }

    [Fact]
    public void A_missing_text_folder_and_an_empty_class_folder_are_one_sentence_each()
    {
        using var dir = new TempFolder();
        var missing = Train(dir, "--dataset", $"folder:{dir["nowhere"]}", "--model", "text-lstm-1x16");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains(dir["nowhere"], missing.Error);
        Assert.Single(missing.Error.Trim().Split('\n'));

        foreach (var c in new[] { "a", "b", "c" }) Directory.CreateDirectory(dir[$"tree/{c}"]);
        File.WriteAllText(dir["tree/a/1.txt"], "one text");
        File.WriteAllText(dir["tree/b/1.txt"], "another text");
        var empty = Train(dir, "--dataset", $"folder:{dir["tree"]}", "--model", "text-lstm-1x16");
        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("tree/c", empty.Error.Replace('\\', '/'));
        Assert.Single(empty.Error.Trim().Split('\n'));
    }

    [Fact]
    public void An_image_model_on_texts_is_one_sentence_and_exit_2()
    {
        using var dir = new TempFolder();
        var r = Train(dir, "--dataset", Table(dir), "--text", "body", "--label", "stars", "--model", "mlp-1x512");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"error: mlp-1x512 reads images, and {Table(dir)} holds texts; use a text model (text-transformer-DxW, text-lstm-LxH) or torchscript:PATH.", r.Error.Trim());
    }

    [Fact]
    public void A_text_model_on_images_is_one_sentence_and_exit_2()
    {
        using var dir = new TempFolder();
        var r = Train(dir, "--dataset", "fashion-mnist", "--train-size", "100", "--test-size", "100", "--model", "text-transformer-1x32");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("error: text-transformer-1x32 reads token ids, not images; use it with a text dataset (fortunes, csv:PATH --text COLUMN, folder:PATH of .txt files).", r.Error.Trim());
    }

    [Theory]
    [InlineData("--inputs", "random", "error: --inputs random randomizes pixels, and fortunes holds texts; use --inputs shuffled-tokens or random-tokens (or true).")]
    [InlineData("--augment", "crop", "error: --augment crops and flips images, and fortunes holds texts; drop it.")]
    public void Image_options_on_texts_are_one_sentence_and_exit_2(string option, string value, string expected)
    {
        using var dir = new TempFolder();
        var r = Train(dir, "--dataset", "fortunes", "--model", "text-lstm-1x16", option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal(expected, r.Error.Trim());
    }

    [Fact]
    public void Text_options_on_images_are_one_sentence_and_exit_2()
    {
        using var dir = new TempFolder();
        var tokens = Train(dir, "--dataset", "mnist", "--model", "mlp-1x512", "--max-tokens", "32");
        Assert.Equal(2, tokens.ExitCode);
        Assert.Equal("error: --max-tokens truncates texts, and mnist holds no texts; drop it.", tokens.Error.Trim());
        var column = Train(dir, "--dataset", "mnist", "--model", "mlp-1x512", "--text", "body");
        Assert.Equal(2, column.ExitCode);
        Assert.Equal("error: --text names a column of a csv:PATH table, and mnist is not one; drop it.", column.Error.Trim());
    }

    [Fact]
    public void Measures_and_attacks_on_a_text_run_say_in_one_sentence_that_they_are_not_defined()
    {
        using var dir = new TempFolder();
        var train = Train(dir, "--dataset", Table(dir), "--text", "body", "--label", "stars", "--model", "text-lstm-1x16");
        Assert.True(train.ExitCode == 0, train.Error);
        var measures = CliRunner.Run("measures", dir["run"]);
        Assert.Equal(2, measures.ExitCode);
        Assert.Contains("the complexity measures are defined for image models only so far.", measures.Error);
        var attack = CliRunner.Run("attack", dir["run"]);
        Assert.Equal(2, attack.ExitCode);
        Assert.Contains("the attacks move pixels along input gradients, which token ids do not have.", attack.Error);
    }
}
