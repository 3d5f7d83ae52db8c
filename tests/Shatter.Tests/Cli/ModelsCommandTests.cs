using System.Text.Json;

namespace Shatter.Tests.Cli;

public sealed class ModelsCommandTests
{
    [Fact]
    public void Models_json_for_cifar10_shows_the_paper_parameter_counts_on_the_28_crop()
    {
        var r = CliRunner.Run("models", "--dataset", "cifar10", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Output);
        Assert.Equal([3, 28, 28], doc.RootElement.GetProperty("input_shape").EnumerateArray().Select(e => e.GetInt32()));
        var counts = doc.RootElement.GetProperty("models").EnumerateArray()
            .ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("parameters").GetInt64());
        Assert.Equal(1_209_866, counts["mlp-1x512"]);
        Assert.Equal(1_735_178, counts["mlp-3x512"]);
        Assert.Equal(1_387_786, counts["alexnet"]);
        Assert.Equal(1_649_402, counts["inception"]);
        Assert.Equal(1_649_402, counts["inception-nobn"]);
        var inception = doc.RootElement.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "inception");
        Assert.Equal(0.1, inception.GetProperty("default_learning_rate").GetDouble());
    }

    [Fact]
    public void Models_table_for_uncropped_cifar10_shows_wrn_28_1_at_its_demo_count()
    {
        var r = CliRunner.Run("models", "--dataset", "cifar10", "--crop", "0");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("3×32×32", r.Output);
        Assert.Contains("369,498", r.Output);
    }

    [Fact]
    public void A_pattern_name_is_described_alone()
    {
        var r = CliRunner.Run("models", "mlp-1024-512", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Output);
        var model = Assert.Single(doc.RootElement.GetProperty("models").EnumerateArray());
        Assert.Equal(1_333_770, model.GetProperty("parameters").GetInt64()); // on fashion-mnist's 1×28×28
    }

    [Fact]
    public void Unknown_model_is_one_sentence_and_exit_code_2()
    {
        var r = CliRunner.Run("models", "vgg16");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: unknown model 'vgg16'", r.Error);
        Assert.Single(r.Error.Trim().Split('\n'));
    }
}
