using System.Diagnostics;
using Shatter.Cli;

namespace Shatter.Tests.Cli;

/// <summary>
/// The shatter executable as a separate process with stdout and stderr in pipes (as in <c>shatter runs | less</c>), read
/// apart: what native code writes to the process's stderr, and how output looks when it is not a terminal.
/// </summary>
static class PipedShatter
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Result Run(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(typeof(ShatterApp).Assembly.Location);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(600_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"shatter {string.Join(' ', args)} did not finish within 10 minutes");
        }
        p.WaitForExit();
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }
}
