using Shatter.Models;

namespace Shatter.Tests.Models;

public sealed class ModelNameTests
{
    [Fact]
    public void Known_lists_the_paper_models_first_with_their_paper_learning_rates()
    {
        var names = ModelRegistry.Known.Select(m => m.Name).ToList();
        Assert.Equal(["mlp-1x512", "mlp-3x512", "alexnet", "inception", "inception-nobn"], names.Take(5));
        Assert.Contains("wrn-28-1", names);
        Assert.Equal(names.Count, names.Distinct().Count());
        foreach (var m in ModelRegistry.Known)
            Assert.Equal((m.Family is "inception" or "wrn" or "lstm" or "gru") && m.Name != "inception-nobn" ? 0.1 : 0.01, m.DefaultLearningRate);
    }

    [Theory]
    [InlineData("mlp-1x512", "512")]
    [InlineData("mlp-3x512", "512, 512, 512")]
    [InlineData("MLP-2x64", "64, 64")]
    [InlineData("mlp-2048", "2048")]
    [InlineData("mlp-1024-512", "1024, 512")]
    [InlineData("mlp-16x8", "8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8")]
    public void Mlp_names_are_depth_x_width_or_dash_separated_widths(string name, string widths)
    {
        var spec = ModelRegistry.Describe(name);
        Assert.Equal("mlp", spec.Family);
        Assert.Equal(name.ToLowerInvariant(), spec.Name);
        Assert.EndsWith("hidden " + widths, spec.Description);
    }

    [Fact]
    public void Mlp_depth_x_width_builds_depth_hidden_layers_of_that_width()
    {
        using var model = ModelRegistry.Create("mlp-2x64", (1, 4, 4), 3, new ModelOptions());
        // 16·64 + 64 + 64·64 + 64 + 64·3 + 3
        Assert.Equal(5443, ModelRegistry.ParameterCount(model));
    }

    [Fact]
    public void A_depth_beyond_the_limit_suggests_the_widths_form()
    {
        var e = Assert.Throws<ShatterException>(() => ModelRegistry.Describe("mlp-512x256"));
        Assert.Contains("mlp-512-256", e.Message);
    }

    [Theory]
    // Zagoruyko & Komodakis 2016 on 3×32×32 with 10 classes (Table 1 gives WRN-16-4 as 2.7M): the exact counts of their
    // basic-block design — bias-free 3×3 convolutions, pre-activation batch norm, 1×1 shortcuts where the width changes
    [InlineData("wrn-28-1", "16/16/32/64", 4, 369_498)]
    [InlineData("wrn-16-4", "16/64/128/256", 2, 2_748_890)]
    [InlineData("WRN-10-2", "16/32/64/128", 1, 303_706)]
    public void Wrn_names_give_depth_and_widen_factor(string name, string widths, int blocks, long parameters)
    {
        var spec = ModelRegistry.Describe(name);
        Assert.Equal("wrn", spec.Family);
        Assert.Contains(widths, spec.Description);
        Assert.Contains($"{blocks} blocks", spec.Description);
        using var model = ModelRegistry.Create(name, (3, 32, 32), 10, new ModelOptions());
        Assert.Equal(parameters, ModelRegistry.ParameterCount(model));
        // the blocks of each group in the model built: block1.0 … block3.{blocks − 1}
        var keys = model.state_dict().Keys.ToList();
        foreach (var group in new[] { "block1.", "block2.", "block3." })
            Assert.Equal(blocks, keys.Where(k => k.StartsWith(group, StringComparison.Ordinal)).Select(k => k.Split('.')[1]).Distinct().Count());
    }

    [Theory]
    [InlineData("wrn-27-1", "6n + 4")]
    [InlineData("wrn-4-1", "6n + 4")]
    [InlineData("wrn-28-0", "widen factor")]
    [InlineData("mlp-0x512", "depth from 1")]
    [InlineData("mlp-0", "widths must be")]
    [InlineData("mlp-99999999999", "too large")]
    [InlineData("mlp-", "unknown model")]
    [InlineData("mlp-1x", "unknown model")]
    [InlineData("resnet18", "unknown model")]
    [InlineData("vit-6x100", "multiple of 32")]
    [InlineData("vit-0x128", "from 1 to 24")]
    [InlineData("vit-6x128-p0", "patch side")]
    [InlineData("lstm-30x64", "from 1 to 24")]
    [InlineData("gru-1x0", "widths must be")]
    [InlineData("", "unknown model")]
    public void Bad_names_are_one_sentence_errors_that_say_what_is_accepted(string name, string expected)
    {
        var e = Assert.Throws<ShatterException>(() => ModelRegistry.Describe(name));
        Assert.Contains(expected, e.Message);
        Assert.EndsWith(".", e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void Unknown_name_lists_the_known_names_and_the_patterns()
    {
        var e = Assert.Throws<ShatterException>(() => ModelRegistry.Describe("vgg16"));
        foreach (var m in ModelRegistry.Known) Assert.Contains(m.Name, e.Message);
        Assert.Contains(ModelRegistry.Patterns, e.Message);
    }
}
