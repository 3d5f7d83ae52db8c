using Shatter.Cli.Commands;
using Shatter.Cli.Infrastructure;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Shatter.Cli;

/// <summary>
/// Registers the verbs and turns every user error into one sentence on the error writer and a
/// non-zero exit code. Tests run the whole CLI through <see cref="Run"/> with a recording console.
/// </summary>
public static class ShatterApp
{
    /// <summary>Exit code for a user error (bad input, bad option).</summary>
    public const int UserError = 2;
    /// <summary>Exit code for a run that diverged (its loss became NaN or infinite): all its files are written, but it trained nothing.</summary>
    public const int Diverged = 3;
    /// <summary>Exit code for an internal failure (a bug).</summary>
    public const int InternalError = 70;

    // Over 80 lines for a reason: it is the list of commands (one AddCommand each, in the order `shatter --help` shows)
    // and the one place that turns every exception into its exit code; splitting either would scatter a list read as one.
    public static int Run(string[] args, IAnsiConsole console, TextWriter error)
    {
        var registrar = new TypeRegistrar();
        registrar.RegisterInstance(typeof(IAnsiConsole), console);
        var app = new CommandApp(registrar);
        app.Configure(config =>
        {
            config.SetApplicationName("shatter");
            config.SetApplicationVersion(typeof(ShatterApp).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
            config.PropagateExceptions();
            config.UseStrictParsing();
            config.ConfigureConsole(console);
            config.SetInterceptor(new OptionChecks());
            config.AddCommand<TrainCommand>("train").WithDescription("Train one model on one (randomized) dataset and record the paper's measurements.");
            config.AddCommand<OptionsCommand>("options").WithDescription("Every training option: its train spelling, spec key, default and range (docs/options.md).");
            config.AddBranch("bench", bench =>
            {
                bench.SetDescription("Benchmarks that print speed ratios against reference implementations.");
                bench.AddCommand<BenchTrainCommand>("train").WithDescription("Training samples/s of Shatter and of the PyTorch anchor on the same jobs.");
            });
            config.AddBranch("data", data =>
            {
                data.SetDescription("Inspect datasets and see what the randomizations do.");
                data.AddCommand<DataInfoCommand>("info").WithDescription("Counts, shape, classes, pixel mean and std of a dataset.");
                data.AddCommand<DataPreviewCommand>("preview").WithDescription("A PNG grid of images before and after an input randomization.");
            });
            config.AddCommand<AttackCommand>("attack").WithDescription("Accuracy of a finished run's model under FGSM or PGD L∞ attacks, against ε.");
            config.AddCommand<SweepCommand>("sweep").WithDescription("Run what is not yet done of an experiment spec into a results database.");
            config.AddCommand<WorkerCommand>("worker").WithDescription("Serve a shared run queue (PostgreSQL): claim runs, train them, resume dead workers' runs; exit when none is left.");
            config.AddCommand<StatusCommand>("status").WithDescription("How a sweep stands: runs done, running, pending and failed per spec, live workers, ETA.");
            config.AddCommand<ReportCommand>("report").WithDescription("Render the HTML report, figures and tables of a results database.");
            config.AddCommand<RunsCommand>("runs").WithDescription("List the runs of a results database: axes, status, steps to fit, accuracies, wall time.");
            config.AddCommand<ExportDbCommand>("export-db").WithDescription("Write a results database's runs, epochs, steps and examples as Parquet or CSV files.");
            config.AddCommand<ReproduceCommand>("reproduce").WithDescription("Sweep, measure and report one of the paper's experiments (figure1, table1, figure2) or beyond it (noise, beyond, regression, rl).");
            config.AddCommand<ModelsCommand>("models").WithDescription("The model zoo: names, paper learning rates and parameter counts for a dataset's input shape.");
            config.AddCommand<ExpressivityCommand>("expressivity").WithDescription("Theorem 1: the two-layer ReLU network with 2n + d weights that fits any labels on n points.");
            config.AddCommand<KernelCommand>("kernel").WithDescription("Minimum-norm kernel interpolation: error, RKHS norm and residual, optionally over label noise.");
            config.AddCommand<ExportCommand>("export").WithDescription("Write a finished run's weights as a PyTorch state_dict (torch.load).");
            config.AddCommand<MeasuresCommand>("measures").WithDescription("Complexity measures of finished runs: margins, norms, PAC-Bayes flatness, sharpness.");
            config.AddCommand<RademacherCommand>("rademacher").WithDescription("Empirical Rademacher complexity: fit K random ±1 labelings, R̂ and the bound it implies.");
            config.AddCommand<VcCommand>("vc").WithDescription("Shattering: how many labellings of N random points a small MLP fits (empirical VC lower bound).");
            config.AddCommand<MinNormCommand>("minnorm").WithDescription("SGD on over-parameterised least squares from w = 0 finds the minimum-norm solution.");
        });
        try
        {
            // Spectre.Console.Cli forbids one-letter long options; '--n' and '--d' (the paper's n and d) mean '-n' and '-d'
            return app.Run(args.Select(a => a is "--n" or "--d" ? a[1..] : a));
        }
        catch (RunDivergedException e)
        {
            error.WriteLine($"error: {e.Message}");
            return Diverged;
        }
        catch (ShatterException e)
        {
            error.WriteLine($"error: {e.Message}");
            return UserError;
        }
        catch (CommandAppException e) when (ConversionFailure(e, args) is { } sentence)
        {
            error.WriteLine($"error: {sentence}");
            return UserError;
        }
        catch (CommandParseException e)
        {
            // the command line did not parse (an unknown option, a missing value): point at the help
            error.WriteLine($"error: {e.Message.TrimEnd('.')}; run 'shatter --help' for the commands and options.");
            return UserError;
        }
        catch (CommandRuntimeException e)
        {
            // a settings' own validation sentence (or a missing argument): complete as it is
            error.WriteLine($"error: {e.Message.TrimEnd('.')}.");
            return UserError;
        }
        catch (CommandAppException e)
        {
            // an unknown command: point at the help
            error.WriteLine($"error: {e.Message.TrimEnd('.')}; run 'shatter --help' for the commands and options.");
            return UserError;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("error: interrupted; finished results are kept and '--resume' (or rerunning a sweep) continues.");
            return 130;
        }
        catch (Exception e)
        {
            error.WriteLine($"error: internal failure ({e.GetType().Name}: {e.Message}); please report it with the command you ran.");
            if (Environment.GetEnvironmentVariable("SHATTER_DEBUG") == "1") error.WriteLine(e);
            return InternalError;
        }
    }

    /// <summary>
    /// Spectre.Console.Cli's "Failed to convert 'abc' to Nullable`1." as one sentence naming the option and what it takes:
    /// "--epochs takes a whole number, not 'abc'." The option is the argument before the value (or --name=value); the
    /// type is in the converter's own message ("abc is not a valid value for Int32"). Null for any other error.
    /// </summary>
    static string? ConversionFailure(CommandAppException e, string[] args)
    {
        var m = System.Text.RegularExpressions.Regex.Match(e.Message, "^Failed to convert '(.*)' to ");
        if (!m.Success) return null;
        var value = m.Groups[1].Value;
        int at = Array.IndexOf(args, value);
        var option = at > 0 && args[at - 1].StartsWith('-') ? args[at - 1]
            : args.FirstOrDefault(a => a.StartsWith("--", StringComparison.Ordinal) && (a.EndsWith("=" + value, StringComparison.Ordinal) || a.EndsWith(":" + value, StringComparison.Ordinal)))?.Split('=', ':')[0];
        var inner = string.Join(" ", Chain(e).Select(x => x.Message));
        var kind = inner switch
        {
            _ when inner.Contains("Int32") || inner.Contains("Int64") || inner.Contains("Int16") => "a whole number",
            _ when inner.Contains("Double") || inner.Contains("Single") || inner.Contains("Decimal") => "a number",
            _ when inner.Contains("Boolean") => "true or false",
            _ => "another kind of value",
        };
        return $"{option ?? "an option"} takes {kind}, not '{value}'.";
    }

    static IEnumerable<Exception> Chain(Exception e)
    {
        for (var x = e.InnerException; x is not null; x = x.InnerException) yield return x;
    }
}
