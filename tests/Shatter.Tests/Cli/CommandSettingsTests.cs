using Shatter.Cli;
using Shatter.Cli.Commands;
using Spectre.Console.Cli;

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

    /// <summary>Every option any command declares: the settings type that declares it, the property and its attribute.</summary>
    static List<(Type Settings, System.Reflection.PropertyInfo Property, CommandOptionAttribute Option)> Declared() =>
        [.. typeof(ShatterApp).Assembly.GetTypes().Where(t => typeof(CommandSettings).IsAssignableFrom(t))
            .SelectMany(t => t.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly)
                .Select(p => (t, p, o: p.GetCustomAttributes(typeof(CommandOptionAttribute), false).Cast<CommandOptionAttribute>().FirstOrDefault())))
            .Where(x => x.o is not null).Select(x => (x.t, x.p, x.o!))];

    [Fact]
    public void Data_dir_and_db_say_one_thing_wherever_a_command_takes_them()
    {
        var declared = Declared();
        var dataDir = declared.Where(d => d.Option.LongNames.Contains("data-dir")).ToList();
        Assert.True(dataDir.Count >= 5);
        Assert.All(dataDir, d => Assert.Equal(nameof(Shatter.Training.TrainConfig.DataDir),
            (d.Property.GetCustomAttributes(typeof(Shatter.Cli.Infrastructure.TrainHelpAttribute), false).Single() as Shatter.Cli.Infrastructure.TrainHelpAttribute)!.Property));
        var db = declared.Where(d => d.Option.LongNames.Contains("db")).ToList();
        Assert.Contains(db, d => d.Settings == typeof(DatabaseSettings));
        Assert.All(db, d => Assert.StartsWith(DatabaseSettings.What,
            ((System.ComponentModel.DescriptionAttribute)d.Property.GetCustomAttributes(typeof(System.ComponentModel.DescriptionAttribute), false).Single()).Description));
        // sweep, reproduce, worker, status, report, runs and export-db inherit the one declaration
        foreach (var command in new[] { "sweep", "reproduce", "worker", "status", "report", "runs", "export-db" })
            Assert.Contains(DatabaseSettings.What.Split(':')[0], CliRunner.Run(command, "--help").Output.Replace("\n", " "));
        Assert.True(db.Count <= 3, string.Join(", ", db.Select(d => d.Settings.FullName)));
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
