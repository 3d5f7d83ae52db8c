using Shatter.Cli;
using Spectre.Console.Testing;

namespace Shatter.Tests.Cli;

/// <summary>Runs the whole CLI in-process and captures what it printed and its exit code.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Result Run(params string[] args)
    {
        var console = new TestConsole().Width(200);
        var error = new StringWriter();
        int code = ShatterApp.Run(args, console, error);
        return new Result(code, console.Output, error.ToString());
    }
}
