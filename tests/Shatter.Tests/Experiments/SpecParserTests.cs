using Shatter.Corruptions;
using Shatter.Experiments;

namespace Shatter.Tests.Experiments;

public sealed class SpecParserTests
{
    const string Minimal = """
        name: demo
        shared:
          until_fit: true
        scales:
          small:
            train_size: 100
            epochs: 3
          big:
            train_size: 1000
            grid:
              model: [mlp-1x512, mlp-3x512]
        grid:
          model: [mlp-1x512]
          randomization:
            - { name: true labels, label_noise: 0 }
            - { name: random labels, label_noise: 1.0 }
            - { inputs: gaussian }
          seed: [1, 2]
        """;

    static ShatterException Error(string yaml) => Assert.Throws<ShatterException>(() => SpecParser.Parse(yaml, "x.yaml"));

    [Fact]
    public void A_grid_expands_to_the_product_of_its_axes_over_shared_and_scale_options()
    {
        var spec = SpecParser.Parse(Minimal, "x.yaml");
        var runs = spec.Expand("small");
        Assert.Equal(6, runs.Count);
        Assert.All(runs, r => Assert.True(r.Config.UntilFit));
        Assert.All(runs, r => Assert.Equal(100, r.Config.TrainSize));
        Assert.All(runs, r => Assert.Equal(3, r.Config.Epochs));
        Assert.Equal(["true labels", "true labels", "random labels", "random labels", "inputs=gaussian", "inputs=gaussian"], runs.Select(r => r.Point["randomization"]));
        Assert.Equal([1L, 2L, 1L, 2L, 1L, 2L], runs.Select(r => r.Config.Seed));
        Assert.Equal(InputMode.Gaussian, runs[4].Config.Inputs);
        Assert.Equal(1.0, runs[2].Config.LabelNoise);
        Assert.Equal(runs.Count, runs.Select(r => r.Hash).Distinct().Count());
    }

    [Fact]
    public void A_scale_grid_axis_replaces_the_spec_axis_of_the_same_name()
    {
        var runs = SpecParser.Parse(Minimal, "x.yaml").Expand("big");
        Assert.Equal(12, runs.Count);
        Assert.Equal(["mlp-1x512", "mlp-3x512"], runs.Select(r => r.Config.Model).Distinct());
        Assert.Equal(3, runs.Count(r => r.Config is { Model: "mlp-3x512", Seed: 2 }));
    }

    [Fact]
    public void Duplicate_grid_points_run_once()
    {
        var spec = SpecParser.Parse("""
            name: d
            scales: { s: {} }
            grid:
              label_noise: [0, 0.0, 0.5]
            """, "d.yaml");
        Assert.Equal(2, spec.Expand("s").Count);
    }

    [Fact]
    public void An_unknown_option_names_the_file_the_line_and_the_nearest_option()
    {
        var e = Error("""
            name: demo
            scales:
              quick:
                train_size: 10
                lerning_rate: 0.1
            """);
        Assert.Equal("x.yaml line 5: unknown option 'lerning_rate'; did you mean 'learning_rate'?", e.Message);
    }

    [Theory]
    [InlineData("p<script>alert(1)</script>", "spec name")]
    [InlineData("../../tmp/x", "spec name")]
    [InlineData("\"a\\nb\"", "spec name")]
    [InlineData("\"\"", "spec name")]
    public void A_spec_name_that_is_not_a_plain_word_is_refused_before_it_reaches_a_file_name_or_a_slurm_script(string name, string mentions)
    {
        var e = Error($"""
            name: {name}
            scales:
              quick:
                epochs: 1
            """);
        Assert.StartsWith("x.yaml line 1: ", e.Message);
        Assert.Contains(mentions, e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void A_scale_name_that_is_not_a_plain_word_is_refused_and_plain_words_pass()
    {
        var e = Error("""
            name: demo
            scales:
              "quick; rm -rf /":
                epochs: 1
            """);
        Assert.Contains("scale name", e.Message);
        var ok = SpecParser.Parse("""
            name: my-spec_2.1
            scales:
              dry-run:
                epochs: 1
            """, "x.yaml");
        Assert.Equal("my-spec_2.1", ok.Name);
        Assert.Contains("dry-run", ok.Scales.Keys);
    }

    [Theory]
    [InlineData("label_noise: 1.5", 4, "label_noise")]
    [InlineData("epochs: many", 4, "whole number")]
    [InlineData("inputs: sideways", 4, "true, shuffled, random, gaussian, shuffled-tokens or random-tokens")]
    [InlineData("until_fit: maybe", 4, "true or false")]
    [InlineData("batch_size: 0", 4, "batch_size")]
    [InlineData("seed: [1, 2]", 4, "not a list")]
    public void A_bad_value_names_its_line_and_what_is_allowed(string line, int lineNumber, string mentions)
    {
        var e = Error($"""
            name: demo
            scales:
              quick:
                {line}
            """);
        Assert.StartsWith($"x.yaml line {lineNumber}: ", e.Message);
        Assert.Contains(mentions, e.Message);
    }

    [Fact]
    public void A_bad_value_inside_a_grid_point_names_its_line()
    {
        var e = Error("""
            name: demo
            scales: { quick: {} }
            grid:
              randomization:
                - { label_noise: 0.2 }
                - { label_noise: -1 }
            """);
        Assert.Equal("x.yaml line 6: option 'label_noise' must be a probability between 0 and 1, not -1.", e.Message);
    }

    [Fact]
    public void Unknown_top_level_keys_scales_and_broken_yaml_are_errors()
    {
        Assert.StartsWith("x.yaml line 2: unknown key 'grids'", Error("name: a\ngrids: {}\nscales: { s: {} }").Message);
        Assert.Contains("has no scale 'paper'", Assert.Throws<ShatterException>(() => SpecParser.Parse(Minimal, "x.yaml").Expand("paper")).Message);
        Assert.Matches(@"^x\.yaml line 3: .*; fix the YAML syntax\.$", Error("name: a\nscales: { s: [\n").Message);
        Assert.Contains("grid axis 'colour' is not an option", Error("name: a\nscales: { s: {} }\ngrid:\n  colour: [red]\n").Message);
    }

    [Theory]
    [InlineData("figure1")]
    [InlineData("table1")]
    [InlineData("figure2")]
    public void Every_built_in_spec_parses_and_expands_at_every_scale(string name)
    {
        var spec = BuiltInSpecs.Resolve(name);
        Assert.Equal(name, spec.Name);
        Assert.Equal(["dry-run", "quick", "paper"], spec.Scales.Keys);
        foreach (var scale in spec.Scales.Keys) Assert.NotEmpty(spec.Expand(scale));
        Assert.All(spec.Expand("paper"), r => Assert.Equal("cifar10", r.Config.Dataset));
    }

    [Fact]
    public void Figure1_covers_the_papers_nine_randomizations()
    {
        var all = BuiltInSpecs.Resolve("figure1").Expand("quick");
        Assert.Equal(18, all.Count); // nine randomizations × two seeds
        Assert.Equal([1L, 2L], all.Select(r => r.Config.Seed).Distinct().Order());
        var runs = all.Where(r => r.Config.Seed == 1).ToList();
        Assert.Equal([0, 0.2, 0.4, 0.6, 0.8, 1.0], runs.Where(r => r.Config.Inputs == InputMode.True).Select(r => r.Config.LabelNoise));
        Assert.Equal([InputMode.Shuffled, InputMode.Random, InputMode.Gaussian], runs.Where(r => r.Config.Inputs != InputMode.True).Select(r => r.Config.Inputs));
        Assert.Equal(27, BuiltInSpecs.Resolve("figure1").Expand("paper").Count);
    }

    [Fact]
    public void A_command_line_spelling_is_not_a_spec_key_and_the_error_names_the_key()
    {
        Assert.Equal("x.yaml line 4: unknown option 'lr'; a spec writes --lr as 'learning_rate'.", Error("""
            name: a
            scales:
              s:
                lr: 0.05
            """).Message);
        Assert.Contains("a spec writes --lr-decay as 'learning_rate_decay'", Error("name: a\nscales:\n  s:\n    lr_decay: 1\n").Message);
        // augment is both spellings: a list, or a comma list
        var spec = SpecParser.Parse("""
            name: a
            scales:
              s:
                learning_rate: 0.05
                augment: [crop, flip]
              t:
                augment: crop,flip
            """, "a.yaml");
        var c = spec.Expand("s")[0].Config;
        Assert.Equal(0.05, c.LearningRate);
        Assert.True(c.AugmentCrop && c.AugmentFlip);
        Assert.Equal(c.Augment, spec.Expand("t")[0].Config.Augment);
    }

    [Fact]
    public void Two_grid_axes_that_set_one_option_are_an_error_naming_both_axes_and_the_option()
    {
        // the issue's case: the runs would be labelled seed=1 but run seeds 5 and 6
        var e = Error("""
            name: a
            scales: { s: {} }
            grid:
              seed: [1]
              rnd: [{name: a, seed: 5}, {name: b, seed: 6}]
            """);
        Assert.Equal("x.yaml line 5: grid axes 'seed' (line 4) and 'rnd' both set 'seed' at scale s, so a run's label would not say what it ran; set 'seed' in one axis only.", e.Message);
        // a scale's axis conflicting with the spec's: the same error, at load
        Assert.Contains("grid axes 'randomization' (line 4) and 'noise' both set 'label_noise'", Error("""
            name: a
            scales: { s: { grid: { noise: [{label_noise: 0.5}] } } }
            grid:
              randomization: [{label_noise: 0}, {inputs: random}]
            """).Message);
        // a scale's axis that replaces the spec's axis of the same name is no conflict
        Assert.Equal(2, SpecParser.Parse("name: a\nscales: { s: { grid: { seed: [3, 4] } } }\ngrid:\n  seed: [1]\n", "a.yaml").Expand("s").Count);
    }

    [Theory]
    [InlineData("name: a\nscales: { s: {} }\ngrid:\n  seed: [1, 2\n", 5)]   // YamlDotNet's own error, where it noticed
    [InlineData("name: a\nscales: { s: { epochs: 2 }\ngrid:\n  seed: [1]\n", 2)]   // YamlDotNet gives up without a position: the bracket's line
    [InlineData("name: a\ngrid: {seed: [1], rnd: [{name: a, seed: 5}\nscales: { s: {} }\n", 2)]
    public void An_unclosed_bracket_is_one_sentence_naming_the_file_and_line(string yaml, int line)
    {
        var e = Error(yaml);
        Assert.StartsWith($"x.yaml line {line}: ", e.Message);
        Assert.EndsWith(".", e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void Expanding_validates_every_run_up_front_naming_the_spec_the_run_and_the_option()
    {
        var spec = SpecParser.Parse("""
            name: mixed
            scales: { s: {} }
            grid:
              noise:
                - { name: uniform, label_noise: 0.2 }
                - { name: matrix, label_noise: 0.2, label_noise_mode: matrix }
            """, "m.yaml");
        var e = Assert.Throws<ShatterException>(() => spec.Expand("s"));
        Assert.Equal("spec 'mixed' (m.yaml) at scale s, run noise=matrix: option 'label_noise_mode' matrix needs option 'transition' FILE, "
            + "a CSV of the C×C matrix whose row y is where a label of class y goes.", e.Message);
        // an unknown dataset is found before anything runs too
        Assert.Contains("unknown dataset 'imagenet'", Assert.Throws<ShatterException>(() =>
            SpecParser.Parse("name: d\nscales: { s: { dataset: imagenet } }\n", "d.yaml").Expand("s")).Message);
    }
}
