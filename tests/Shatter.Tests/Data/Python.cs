using System.Diagnostics;

namespace Shatter.Tests.Data;

/// <summary>
/// Runs Debian's /usr/bin/python3 on a script the test writes, for files made by the real NumPy and PyTorch
/// (python3-numpy; python3-torch, which scripts/setup.sh installs, pulls it in). A missing module fails the test
/// with the package to install; it is never skipped.
/// </summary>
public static class Python
{
    public const string Interpreter = "/usr/bin/python3";

    /// <summary>Runs <paramref name="script"/> with <paramref name="args"/> in <paramref name="folder"/>; returns its standard output.</summary>
    public static string Run(string folder, string script, params string[] args)
    {
        var file = Path.Combine(folder, $"script-{Guid.NewGuid():N}.py");
        File.WriteAllText(file, script);
        var start = new ProcessStartInfo(Interpreter) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        start.ArgumentList.Add(file);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["OMP_NUM_THREADS"] = "1";
        start.Environment["PYTHONHASHSEED"] = "0";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) { process.Kill(); Assert.Fail("a python3 script of the test ran over 5 minutes"); }
        Assert.True(process.ExitCode == 0, $"python3 failed ({process.ExitCode}): {stderr.Result}");
        return stdout;
    }

    /// <summary>Fails the test unless python3 can import <paramref name="module"/> (from Debian's <paramref name="package"/>).</summary>
    public static void Require(string module, string package)
    {
        var start = new ProcessStartInfo(Interpreter, ["-c", $"import {module}"]) { RedirectStandardError = true };
        using var process = File.Exists(Interpreter) ? Process.Start(start) : null;
        process?.WaitForExit();
        if (process is null || process.ExitCode != 0)
            Assert.Fail($"{Interpreter} has no {module}; install it with 'apt-get install {package}'.");
    }
}
