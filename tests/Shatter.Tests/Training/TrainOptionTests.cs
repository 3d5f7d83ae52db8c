using System.Reflection;
using Shatter.Training;

namespace Shatter.Tests.Training;

/// <summary>The one description of each training option (TrainConfig's [Option]), read through TrainOption.</summary>
public sealed class TrainOptionTests
{
    [Fact]
    public void Every_settable_property_of_train_config_is_an_option_except_the_two_flags_augment_sets_and_the_model_files_hash()
    {
        var settable = typeof(TrainConfig).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name);
        var options = TrainOption.All.Select(o => o.Property);
        // ModelSha256 is read from a torchscript:PATH model's file (TrainConfig.WithModelHash), never written by a user
        Assert.Equal([nameof(TrainConfig.AugmentCrop), nameof(TrainConfig.AugmentFlip), nameof(TrainConfig.ModelSha256)], settable.Except(options).Order());
        Assert.Empty(options.Except(settable));
    }

    [Fact]
    public void Spec_keys_and_command_line_spellings_are_each_unique()
    {
        Assert.Equal(TrainOption.All.Count, TrainOption.All.Select(o => o.Key).Distinct().Count());
        Assert.Equal(TrainOption.All.Count, TrainOption.All.Select(o => o.Cli).Distinct().Count());
        Assert.All(TrainOption.All, o => Assert.StartsWith("--", o.Cli));
        Assert.Equal("learning_rate", TrainOption.ByCli("--lr")!.Key);
        Assert.Equal("--permute", TrainOption.ByKey("permutation_unit")!.Cli);
    }

    [Fact]
    public void Every_option_reads_its_written_default_back_and_a_left_open_one_says_its_default_in_words()
    {
        var defaults = new TrainConfig();
        foreach (var o in TrainOption.All)
        {
            var value = o.Get(defaults);
            if (value is null)
            {
                Assert.True(o.IsNullable, o.Key);
                Assert.NotEqual("default", o.Default);   // a left-open default is explained, not just named
                continue;
            }
            Assert.Equal(value, o.Parse(TrainOption.Format(value), OptionSpelling.Spec));
        }
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void No_number_option_takes_a_non_finite_value(string text)
    {
        foreach (var o in TrainOption.All.Where(o => o.Type == typeof(double)))
        {
            var e = Assert.Throws<FormatException>(() => o.Parse(text, OptionSpelling.Cli));
            Assert.Equal($"{o.Cli} must be a finite number, not '{text}'", e.Message);
        }
    }

    [Fact]
    public void Validation_checks_each_options_range_from_its_description_in_the_spelling_asked_for()
    {
        var config = new TrainConfig { Threads = -1 };
        Assert.Equal("--threads must be 0 (libtorch's default) or positive, not -1.", Assert.Throws<ShatterException>(() => config.Validate()).Message);
        Assert.Equal("option 'threads' must be 0 (libtorch's default) or positive, not -1.",
            Assert.Throws<ShatterException>(() => config.Validate(OptionSpelling.Spec)).Message);
        // the same range refuses the text before it is a configuration
        Assert.Equal("--dropout must be at least 0 and below 1, not 1", Assert.Throws<FormatException>(() => TrainOption.Of(nameof(TrainConfig.Dropout)).Parse("1", OptionSpelling.Cli)).Message);
        Assert.Null(TrainOption.Of(nameof(TrainConfig.Dropout)).Problem(0.5, OptionSpelling.Cli));
    }

    [Fact]
    public void The_threads_range_is_written_once_in_the_source_and_the_runtime_leaves_the_sentence_to_it()
    {
        // issue 19: the --threads message existed four times; the option's description is now its only source
        var src = Checkout.File("src");
        var holding = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadLines(f).Any(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal)   // code, not a doc comment's example
                && l.Contains("(libtorch's default) or positive", StringComparison.Ordinal)))
            .Select(f => Path.GetRelativePath(src, f)).ToList();
        Assert.Equal([Path.Combine("Shatter", "Training", "TrainConfig.cs")], holding);
        Assert.Throws<ArgumentOutOfRangeException>(() => Shatter.Runtime.TorchRuntime.SetThreads(-1));
    }

    [Fact]
    public void Words_are_the_enum_names_in_kebab_case_and_one_list_option_takes_several()
    {
        Assert.Equal(["true", "shuffled", "random", "gaussian", "shuffled-tokens", "random-tokens"], TrainOption.Of(nameof(TrainConfig.Inputs)).Words);
        Assert.Equal(["uniform", "different", "pair-flip", "asymmetric", "matrix", "instance"], TrainOption.Of(nameof(TrainConfig.LabelNoiseMode)).Words);
        var augment = TrainOption.Of(nameof(TrainConfig.Augment));
        Assert.True(augment.IsList);
        var c = augment.Apply(new TrainConfig(), "Flip, crop", OptionSpelling.Cli);
        Assert.True(c.AugmentCrop && c.AugmentFlip);
        Assert.Equal("none", augment.Apply(c, "none", OptionSpelling.Cli).Augment);
    }
}
