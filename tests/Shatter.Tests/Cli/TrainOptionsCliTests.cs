using System.Reflection;
using Shatter.Cli.Commands;
using Shatter.Cli.Infrastructure;
using Shatter.Experiments;
using Shatter.Training;
using Spectre.Console.Cli;

namespace Shatter.Tests.Cli;

/// <summary>
/// shatter train's options and a spec's keys come from one description per option (TrainConfig's [Option]); the
/// drifts they once had (issue 19) cannot come back.
/// </summary>
public sealed class TrainOptionsCliTests
{
    static IEnumerable<(PropertyInfo Property, CommandOptionAttribute Cli, TrainHelpAttribute? Help)> TrainSettings() =>
        typeof(TrainCommand.Settings).GetProperties()
            .Select(p => (p, p.GetCustomAttribute<CommandOptionAttribute>(), p.GetCustomAttribute<TrainHelpAttribute>()))
            .Where(t => t.Item2 is not null)
            .Select(t => (t.p, t.Item2!, t.Item3));

    [Fact]
    public void Every_training_option_is_exactly_one_train_option_and_one_spec_key_and_vice_versa()
    {
        var declared = TrainSettings().Where(t => t.Help is not null).ToList();
        // each option once, declared with its own template; flags as flags, values as text the option parses
        Assert.Equal(TrainOption.All.Select(o => o.Property).Order(), declared.Select(t => t.Help!.Property).Order());
        foreach (var (property, cli, help) in declared)
        {
            var o = help!.Option;
            Assert.Equal([o.Cli[2..]], cli.LongNames);
            Assert.Equal(o.Placeholder, cli.ValueName);
            Assert.Equal(o.IsFlag ? typeof(bool) : typeof(string), property.PropertyType);
        }
        // the rest are the command's own (where the run goes and how it prints), not training options
        Assert.Equal(["json", "out", "quiet", "resume"], TrainSettings().Where(t => t.Help is null).Select(t => t.Cli.LongNames[0]).Order());
        // one spec key per option, and no other key
        Assert.Equal(TrainOption.All.Select(o => o.Key).Order(StringComparer.Ordinal), TrainOptions.Keys);
    }

    static TrainConfig Cli(string property, string text)
    {
        var settings = new TrainCommand.Settings();
        typeof(TrainCommand.Settings).GetProperty(property)!.SetValue(settings, text);
        return settings.ToConfig();
    }

    static TrainConfig Spec(string key, string text) =>
        SpecParser.Parse($"name: a\nscales:\n  s:\n    {key}: {text}\n", "a.yaml").Expand("s")[0].Config;

    [Fact]
    public void Until_fit_caps_the_epochs_at_1000_on_the_command_line_and_in_a_spec_alike()
    {
        var cli = new TrainCommand.Settings { UntilFit = true }.ToConfig();
        var spec = Spec("until_fit", "true");
        Assert.Equal(TrainConfig.UntilFitEpochs, cli.Epochs);
        Assert.Equal(cli.Epochs, spec.Epochs);
        Assert.Equal(RunIdentity.Hash(cli), RunIdentity.Hash(spec));
        Assert.Equal(TrainConfig.PlannedEpochs, new TrainCommand.Settings().ToConfig().Epochs);
        Assert.Equal(7, new TrainCommand.Settings { UntilFit = true, Epochs = "7" }.ToConfig().Epochs);
    }

    [Fact]
    public void The_command_line_and_a_spec_take_the_same_words_for_every_word_option()
    {
        // every word: taken by both with the same value, or refused by both (matrix needs a transition file, say)
        foreach (var o in TrainOption.All.Where(o => o.Words is not null))
            foreach (var word in o.Words!)
            {
                TrainConfig? Try(Func<TrainConfig> read)
                {
                    try
                    {
                        return read();
                    }
                    catch (ShatterException)
                    {
                        return null;
                    }
                }
                var (cli, spec) = (Try(() => Cli(o.Property, word)), Try(() => Spec(o.Key, word)));
                Assert.True((cli is null) == (spec is null), $"{o.Cli} {word}");
                if (cli is not null) Assert.Equal(o.Get(cli), o.Get(spec!));
            }
        // the words only one of them took before are gone from both, or accepted by both
        foreach (var word in new[] { "none", "shuffled-pixels", "random-pixels" })
        {
            Assert.Contains($"unknown input mode '{word}' for --inputs; use true, shuffled, random, gaussian, shuffled-tokens or random-tokens",
                Assert.Throws<ShatterException>(() => Cli(nameof(TrainConfig.Inputs), word)).Message);
            Assert.Contains($"unknown input mode '{word}' for option 'inputs'", Assert.Throws<ShatterException>(() => Spec("inputs", word)).Message);
        }
        Assert.Equal("none", Cli(nameof(TrainConfig.Augment), "none").Augment);
        Assert.Equal("none", Spec("augment", "none").Augment);
    }

    [Theory]
    [InlineData(nameof(TrainConfig.LearningRate), "1e400", "must be a finite number, not '1e400'")]
    [InlineData(nameof(TrainConfig.Epochs), "abc", "must be a whole number, not 'abc'")]
    [InlineData(nameof(TrainConfig.LabelNoise), "1.5", "must be a probability between 0 and 1, not 1.5")]
    [InlineData(nameof(TrainConfig.BatchSize), "0", "must be positive, not 0")]
    public void A_bad_value_is_the_same_sentence_on_the_command_line_and_in_a_spec(string property, string text, string problem)
    {
        var o = TrainOption.Of(property);
        Assert.Equal($"{o.Cli} {problem}.", Assert.Throws<ShatterException>(() => Cli(property, text)).Message);
        Assert.Equal($"a.yaml line 4: option '{o.Key}' {problem}.", Assert.Throws<ShatterException>(() => Spec(o.Key, text)).Message);
    }

    /// <summary>A user error: exit code 2 and one line "error: … ." naming the option.</summary>
    static void AssertOneSentence(CliRunner.Result r, string expected)
    {
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("error: " + expected, r.Error.TrimEnd('\n', '\r'));
    }

    [Fact]
    public void Every_command_names_the_option_and_the_type_when_a_value_does_not_convert_or_is_not_finite()
    {
        AssertOneSentence(CliRunner.Run("train", "--model", "mlp-1x512", "--out", "never", "--epochs", "abc"), "--epochs must be a whole number, not 'abc'.");
        AssertOneSentence(CliRunner.Run("train", "--model", "mlp-1x512", "--out", "never", "--lr", "1e400"), "--lr must be a finite number, not '1e400'.");
        AssertOneSentence(CliRunner.Run("sweep", "figure1", "--workers", "abc"), "--workers takes a whole number, not 'abc'.");
        AssertOneSentence(CliRunner.Run("sweep", "figure1", "--retries=x"), "--retries takes a whole number, not 'x'.");
        AssertOneSentence(CliRunner.Run("worker", "--lease", "1e400"), "--lease must be a finite number, not Infinity.");
        AssertOneSentence(CliRunner.Run("kernel", "--bandwidth", "abc"), "--bandwidth takes a number, not 'abc'.");
        AssertOneSentence(CliRunner.Run("sweep", "figure1", "--threads", "-1"), "--threads must be 0 (libtorch's default) or positive, not -1.");
        Assert.False(Directory.Exists("never"));
    }

    [Fact]
    public void Train_without_model_is_one_sentence_and_trains_nothing()
    {
        using var dir = new Data.TempFolder();
        AssertOneSentence(CliRunner.Run("train", "--train-size", "100", "--out", dir["run"]),
            "--model is required: name a model of the zoo, such as --model mlp-1x512 ('shatter models' lists them).");
        Assert.False(Directory.Exists(dir["run"]));
        Assert.Contains("Required", CliRunner.Run("train", "--help").Output.Split("--model")[1].Split("--label-noise ")[0]);
    }
}
