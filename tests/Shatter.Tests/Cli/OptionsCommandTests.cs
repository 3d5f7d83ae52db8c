using Shatter.Cli.Commands;
using Shatter.Training;

namespace Shatter.Tests.Cli;

public sealed class OptionsCommandTests
{
    [Fact]
    public void Docs_options_md_is_the_table_the_option_descriptions_make()
    {
        var file = Path.Combine(Checkout.Root, "docs", "options.md");
        Assert.True(File.Exists(file), "docs/options.md is missing: write it with ./shatter options --markdown > docs/options.md");
        Assert.True(File.ReadAllText(file) == OptionsCommand.Markdown(),
            "docs/options.md is stale: the option descriptions (TrainConfig's [Option]) changed; rewrite it with ./shatter options --markdown > docs/options.md");
    }

    [Fact]
    public void The_table_has_one_row_per_option_with_its_spelling_key_default_and_range()
    {
        var r = CliRunner.Run("options", "--markdown");
        Assert.Equal(0, r.ExitCode);
        var rows = r.Output.Split('\n').Where(l => l.StartsWith("| `--", StringComparison.Ordinal)).ToList();
        Assert.Equal(TrainOption.All.Count, rows.Count);
        Assert.Contains("| `--lr X` | `learning_rate` | a number | the model's: 0.1 Inception, 0.01 others | positive | Initial learning rate. |", rows);
        Assert.Contains(rows, l => l.StartsWith("| `--epochs N` | `epochs` | a whole number | 100; 1000 with --until-fit | positive |", StringComparison.Ordinal));
        Assert.Contains(rows, l => l.StartsWith("| `--inputs MODE` | `inputs` | true, shuffled, random, gaussian, shuffled-tokens or random-tokens | true |", StringComparison.Ordinal));
        Assert.Contains("--label-noise", CliRunner.Run("options").Output);
    }
}
