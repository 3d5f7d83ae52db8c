using System.Reflection;

namespace Shatter.Cli.Infrastructure;

/// <summary>How this shatter was started, so a sweep can start copies of it (worker processes, Slurm array tasks).</summary>
public static class ShatterExecutable
{
    /// <summary>
    /// The words that start this shatter: its executable; or dotnet and the CLI dll when it runs through dotnet (or
    /// hosted in another program, such as the tests).
    /// </summary>
    public static IReadOnlyList<string> Words()
    {
        var dll = typeof(ShatterExecutable).Assembly.Location;
        var host = Environment.ProcessPath;
        if (host is not null && IsEntry && Path.GetFileNameWithoutExtension(host) != "dotnet")
            return [host];
        return [host is not null && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet", dll];
    }

    /// <summary>The words that start a copy of this process, or null when it is hosted in another program (a test) and cannot be copied.</summary>
    public static IReadOnlyList<string>? CopyOfThisProcess() => IsEntry ? Words() : null;

    static bool IsEntry => Assembly.GetEntryAssembly() == typeof(ShatterExecutable).Assembly;
}
