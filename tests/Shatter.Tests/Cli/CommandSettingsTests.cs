using Shatter.Cli.Commands;

namespace Shatter.Tests.Cli;

/// <summary>The options shared through ComputeSettings/TheorySettings, and every command's help.</summary>
public sealed class CommandSettingsTests
{
    static readonly string[][] Commands =
    [
        ["train"], ["bench", "train"], ["data", "info"], ["data", "preview"], ["attack"], ["sweep"], ["report"], ["runs"], ["export-db"],
        ["reproduce"], ["models"], ["expressivity"], ["kernel"], ["export"], ["measures"], ["rademacher"], ["vc"], ["minnorm"],
    ];

    [Fact]
    public void Every_command_prints_its_help()
    {
        foreach (var command in Commands)
        {
            var r = CliRunner.Run([.. command, "--help"]);
            Assert.True(r.ExitCode == 0, $"{string.Join(' ', command)} --help: {r.Error}");
            Assert.Contains("OPTIONS:", r.Output);
        }
    }

    [Fact]
    public void Measures_rademacher_vc_and_the_theory_commands_share_one_declaration_of_seed_and_threads()
    {
        foreach (var command in new[] { "measures", "rademacher", "vc", "expressivity", "kernel" })
        {
            var help = CliRunner.Run(command, "--help").Output;
            Assert.Contains("--seed <N>", help);
            Assert.Contains("--threads <N>", help);
        }
        foreach (var command in new[] { "rademacher", "vc", "expressivity", "kernel" })
        {
            var help = CliRunner.Run(command, "--help").Output;
            Assert.Contains("--report <DIR>", help);
            Assert.Contains("--json", help);
        }
        Assert.True(typeof(ComputeSettings).IsAssignableFrom(typeof(MeasuresCommand.Settings)));
        Assert.True(typeof(TheorySettings).IsAssignableFrom(typeof(RademacherCommand.Settings)));
        Assert.True(typeof(TheorySettings).IsAssignableFrom(typeof(VcCommand.Settings)));
        // the defaults each command had before: vc one thread, the others libtorch's choice; seed 1
        Assert.Equal(1, new VcCommand.Settings().Threads);
        Assert.Equal(0, new RademacherCommand.Settings().Threads);
        Assert.Equal(0, new MeasuresCommand.Settings().Threads);
        Assert.Equal(1, new MeasuresCommand.Settings().Seed);
        Assert.Equal(1, new VcCommand.Settings().Seed);
    }
}
