using Shatter.Cli;
using Shatter.Cli.Commands;
using Spectre.Console.Cli;

namespace Shatter.Tests.Cli;

/// <summary>The options shared through ComputeSettings/TheorySettings, and every command's help.</summary>
public sealed class CommandSettingsTests
{
    /// <summary>The repository's README, found upwards from the test's folder.</summary>
    static string Readme() => File.ReadAllText(Checkout.File("README.md"));

    /// <summary>
    /// The commands the README's command table documents: in each row "| `shatter WORD WORD …", the leading lower-case
    /// words (a branch and its command: "data info"), up to the first argument or option.
    /// </summary>
    static SortedSet<string> DocumentedCommands() =>
        [.. Readme().Split('\n').Where(l => l.StartsWith("| `shatter ", StringComparison.Ordinal))
            .Select(l => string.Join(' ', l["| `shatter ".Length..].Split(' ', '`').TakeWhile(w => System.Text.RegularExpressions.Regex.IsMatch(w, "^[a-z][a-z-]*$"))))];

    /// <summary>The names under "COMMANDS:" in a help page (a name line starts with four spaces, its wrapped description with more).</summary>
    static List<string> Listed(string help) =>
        [.. help.Split('\n').SkipWhile(l => !l.StartsWith("COMMANDS:", StringComparison.Ordinal)).Skip(1)
            .Where(l => l.Length > 4 && l.StartsWith("    ", StringComparison.Ordinal) && l[4] != ' ').Select(l => l.Trim().Split(' ')[0])];

    /// <summary>The commands the app registers, read from its own help: a branch (its help lists commands) contributes its commands.</summary>
    static SortedSet<string> RegisteredCommands()
    {
        var commands = new SortedSet<string>();
        foreach (var name in Listed(CliRunner.Run("--help").Output))
        {
            var sub = Listed(CliRunner.Run(name, "--help").Output);
            if (sub.Count == 0) commands.Add(name);
            else foreach (var s in sub) commands.Add($"{name} {s}");
        }
        return commands;
    }

    [Fact]
    public void The_readme_documents_every_command_the_app_has_and_no_other()
    {
        var registered = RegisteredCommands();
        Assert.Contains("worker", registered);
        Assert.Contains("status", registered);
        Assert.Contains("data info", registered);
        Assert.Empty(registered.Except(DocumentedCommands()));
        Assert.Empty(DocumentedCommands().Except(registered));
    }

    [Fact]
    public void Every_command_prints_its_help()
    {
        foreach (var command in RegisteredCommands())
        {
            var r = CliRunner.Run([.. command.Split(' '), "--help"]);
            Assert.True(r.ExitCode == 0, $"{command} --help: {r.Error}");
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
