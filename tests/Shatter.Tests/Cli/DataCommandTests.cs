using System.Buffers.Binary;
using System.Text.Json;
using Shatter.Tests.Data;
using Xunit.Abstractions;

namespace Shatter.Tests.Cli;

public sealed class DataCommandTests(ITestOutputHelper output)
{
    /// <summary>A user error: exit code 2, nothing on standard output, one "error: ..." line, no stack trace.</summary>
    static string AssertOneSentenceError(CliRunner.Result r)
    {
        Assert.Equal(2, r.ExitCode);
        var line = r.Error.TrimEnd('\n', '\r');
        Assert.StartsWith("error: ", line);
        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain("   at ", line);
        Assert.DoesNotContain("Exception", line);
        Assert.EndsWith(".", line);
        return line;
    }

    [Fact]
    public void Unknown_dataset_is_one_sentence_and_a_nonzero_exit()
    {
        var r = CliRunner.Run("data", "info", "imagenet");
        var line = AssertOneSentenceError(r);
        // every dataset a run may name: the user's images, texts, the regression tables and the maze included
        Assert.Equal("error: unknown dataset 'imagenet'; use one of fashion-mnist, mnist, cifar10, cifar100, cifar100-coarse, your own images folder:PATH or npz:PATH, texts fortunes, csv:PATH (with --text and --label) or folder:PATH of .txt files, for regression house-prices or csv:PATH (with --target COLUMN), or for reinforcement learning maze.", line);
        Assert.Equal(line, CliRunner.Run("train", "--model", "mlp-1x512", "--dataset", "imagenet", "--out", "never").Error.TrimEnd());
    }

    [Fact]
    public void Data_info_reads_the_regression_tables_house_prices_and_csv()
    {
        using var t = new TempFolder();
        // a house-prices-shaped file (scikit-learn's count line, the header, three rows), found through --data-dir
        File.WriteAllLines(t["boston_house_prices.csv"],
        [
            "3,13,,,,,,,,,,,,",
            "\"CRIM\",\"ZN\",\"INDUS\",\"CHAS\",\"NOX\",\"RM\",\"AGE\",\"DIS\",\"RAD\",\"TAX\",\"PTRATIO\",\"B\",\"LSTAT\",\"MEDV\"",
            "0.00632,18,2.31,0,0.538,6.575,65.2,4.09,1,296,15.3,396.9,4.98,24",
            "0.02731,0,7.07,0,0.469,6.421,78.9,4.9671,2,242,17.8,396.9,9.14,21.6",
            "0.02729,0,7.07,0,0.469,7.185,61.1,4.9671,2,242,17.8,392.83,4.03,34.7",
        ]);
        var r = CliRunner.Run("data", "info", "house-prices", "--data-dir", t.Path, "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        using (var doc = JsonDocument.Parse(r.Output))
        {
            var root = doc.RootElement;
            Assert.Equal(3, root.GetProperty("rows").GetInt32());
            Assert.Equal("MEDV", root.GetProperty("target").GetString());
            Assert.Equal((24 + 21.6 + 34.7) / 3, root.GetProperty("target_mean").GetDouble(), 10);
            Assert.Equal(12, root.GetProperty("features").GetArrayLength());   // column B dropped, as in training
        }
        File.WriteAllLines(t["t.csv"], ["x,y", "1,2", "3,6"]);
        var csv = CliRunner.Run("data", "info", "csv:" + t["t.csv"], "--target", "y");
        Assert.True(csv.ExitCode == 0, csv.Error);
        Assert.Contains("a regression table of 2 rows, 1 features → y", csv.Output);
        Assert.Contains("target y: mean 4, std 2, from 2 to 6", csv.Output);
        AssertOneSentenceError(CliRunner.Run("data", "info", "csv:" + t["t.csv"]));   // no --target
    }

    [Fact]
    public void Unknown_option_is_rejected()
    {
        var r = CliRunner.Run("data", "info", "--no-such-option");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("no-such-option", r.Error);
    }

    [Theory]
    [MemberData(nameof(BrokenData.Names), MemberType = typeof(BrokenData))]
    public void Data_info_on_each_bad_input_prints_one_sentence_naming_the_file_and_exits_2(string name)
    {
        using var t = new TempFolder();
        var c = BrokenData.Cases[name](t);
        var r = CliRunner.Run("data", "info", c.Dataset, "--data-dir", c.DataDir);
        var line = AssertOneSentenceError(r);
        output.WriteLine(line);
        Assert.Contains(c.Names, line);
        Assert.Contains(c.Problem, line);
    }

    [Fact]
    public void Data_info_json_on_the_real_fashion_mnist_reports_60000_and_10000_balanced()
    {
        RealData.RequireFashionMnist();
        var r = CliRunner.Run("data", "info", "fashion-mnist", "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        using var json = JsonDocument.Parse(r.Output);
        var root = json.RootElement;
        Assert.Equal("fashion-mnist", root.GetProperty("dataset").GetString());
        Assert.Equal(60_000, root.GetProperty("train").GetInt32());
        Assert.Equal(10_000, root.GetProperty("test").GetInt32());
        Assert.Equal([1, 28, 28], root.GetProperty("image_shape").EnumerateArray().Select(e => e.GetInt32()));
        var classes = root.GetProperty("class_counts").EnumerateArray().ToList();
        Assert.Equal(10, classes.Count);
        Assert.All(classes, k => Assert.Equal(6_000, k.GetProperty("train").GetInt64()));
        Assert.All(classes, k => Assert.Equal(1_000, k.GetProperty("test").GetInt64()));
        Assert.InRange(root.GetProperty("pixel_mean").GetDouble(), 0.28, 0.29);
        Assert.InRange(root.GetProperty("pixel_std").GetDouble(), 0.35, 0.36);
    }

    [Fact]
    public void Data_info_on_a_cifar10_folder_reports_its_true_counts_and_class_names()
    {
        using var t = new TempFolder();
        TestFiles.WriteCifar10Folder(t.Path, [3, 1, 4, 1, 5], test: 9);
        var r = CliRunner.Run("data", "info", "cifar10", "--data-dir", t.Path, "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        var root = JsonDocument.Parse(r.Output).RootElement;
        Assert.Equal(14, root.GetProperty("train").GetInt32());
        Assert.Equal(9, root.GetProperty("test").GetInt32());
        Assert.Equal([3, 32, 32], root.GetProperty("image_shape").EnumerateArray().Select(e => e.GetInt32()));
        var classes = root.GetProperty("class_counts").EnumerateArray().ToList();
        Assert.Equal(TestFiles.Cifar10Classes, classes.Select(k => k.GetProperty("name").GetString()));
        // labels n mod 10: train 0..13 puts two in classes 0..3, test 1000..1008 one in classes 0..8
        Assert.Equal([2L, 2, 2, 2, 1, 1, 1, 1, 1, 1], classes.Select(k => k.GetProperty("train").GetInt64()));
        Assert.Equal([1L, 1, 1, 1, 1, 1, 1, 1, 1, 0], classes.Select(k => k.GetProperty("test").GetInt64()));
    }

    [Fact]
    public void Data_info_prints_a_readable_summary_and_table()
    {
        using var t = new TempFolder();
        TestFiles.WriteCifar10Folder(t.Path);
        var r = CliRunner.Run("data", "info", "cifar10", "--data-dir", t.Path);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("15 training and 3 test images of 3×32×32, 10 classes", r.Output);
        Assert.Contains("truck", r.Output);
        Assert.Contains(t.Path, r.Output); // where the files were read from
    }

    [Theory]
    [InlineData("shuffled")]
    [InlineData("random")]
    [InlineData("gaussian")]
    public void Data_preview_writes_a_png_grid_of_originals_over_randomized_images(string mode)
    {
        using var t = new TempFolder();
        TestFiles.WriteCifar10Folder(t["data"]);
        var png = t["out/grid.png"];
        var r = CliRunner.Run("data", "preview", "cifar10", "--data-dir", t["data"], "--inputs", mode, "--count", "5", "--out", png);
        Assert.True(r.ExitCode == 0, r.Error);
        var bytes = File.ReadAllBytes(png);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        // IHDR: width and height big-endian at 16 and 20; 5 images of 32 px at scale 3 with 2 px gaps, 2 rows
        Assert.Equal(5 * (32 * 3 + 2) + 2, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(2 * (32 * 3 + 2) + 2, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        Assert.Contains("grid.png", r.Output);
        // 5 of 10 classes: the remainder goes to the lowest classes, shown in class order
        Assert.Contains("columns, left to right: plane, car, bird, cat, deer", r.Output);
    }

    [Fact]
    public void Data_preview_with_an_unknown_input_mode_is_one_sentence_naming_it()
    {
        using var t = new TempFolder();
        TestFiles.WriteIdxSet(t.Path, train: 10, test: 2);
        var r = CliRunner.Run("data", "preview", "mnist", "--data-dir", t.Path, "--inputs", "sideways", "--out", t["x.png"]);
        var line = AssertOneSentenceError(r);
        Assert.Contains("'sideways'", line);
        Assert.False(File.Exists(t["x.png"]));
    }

    [Fact]
    public void Data_preview_rejects_a_count_out_of_range()
    {
        var r = CliRunner.Run("data", "preview", "--count", "0");
        AssertOneSentenceError(r);
        Assert.Contains("--count", r.Error);
    }

    [Fact]
    public void Data_info_on_fortunes_gives_its_texts_classes_and_token_lengths()
    {
        var r = CliRunner.Run("data", "info", "fortunes", "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        var info = System.Text.Json.JsonSerializer.Deserialize<Shatter.Cli.Commands.DataInfoCommand.TextInfo>(r.Output, Json.Options)!;
        // the corpus of docs/user-data.md: 14,469 texts in 32 classes, split 11,573 / 2,896
        Assert.Equal((11_573, 2_896, 32, 64), (info.Train, info.Test, info.Classes, info.MaxTokens));
        Assert.Equal(25_084, info.Vocabulary);
        Assert.Equal(26, info.MedianTokens);
        Assert.Equal(1_234L, info.ClassCounts.Single(c => c.Name == "people").Train + info.ClassCounts.Single(c => c.Name == "people").Test);
        var text = CliRunner.Run("data", "info", "fortunes", "--max-tokens", "16");
        Assert.Contains("11,573 training and 2,896 test texts, 32 classes", text.Output);
        Assert.Contains("at most 16", text.Output);
    }

    [Fact]
    public void Data_info_reads_a_text_table_and_names_a_missing_column()
    {
        using var t = new TempFolder();
        File.WriteAllLines(t["t.csv"], ["body,stars", "good film,good", "awful,bad", "fine,good", "poor,bad", "superb,good", "dreadful,bad"]);
        var r = CliRunner.Run("data", "info", "csv:" + t["t.csv"], "--text", "body", "--label", "stars");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("2 classes", r.Output);
        var bad = CliRunner.Run("data", "info", "csv:" + t["t.csv"], "--text", "review", "--label", "stars");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("review", bad.Error);
    }
}
