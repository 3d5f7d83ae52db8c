using System.Diagnostics;

namespace Shatter.Tests.Reporting;

/// <summary>
/// Headless Chromium (Debian's chromium) for the report tests: loads a page and returns what it printed
/// (e.g. the DOM with --dump-dom). Chromium is required: CI installs it (apt-get install chromium).
/// </summary>
static class Chromium
{
    static string Executable()
    {
        foreach (var path in new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" })
            if (File.Exists(path)) return path;
        Assert.Fail("headless Chromium is needed to check the report page; install it with 'apt-get install chromium' (CI installs it).");
        return "";
    }

    public static string Run(string page, params string[] args)
    {
        var profile = Path.Combine(Path.GetTempPath(), "shatter-chromium-" + Guid.NewGuid().ToString("N"));
        var info = new ProcessStartInfo(Executable()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", $"--user-data-dir={profile}", "--virtual-time-budget=5000" })
            info.ArgumentList.Add(a);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.ArgumentList.Add(new Uri(page).AbsoluteUri);
        try
        {
            using var p = Process.Start(info)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(60_000))
            {
                p.Kill(entireProcessTree: true);
                Assert.Fail("chromium did not finish within 60 s");
            }
            Assert.True(p.ExitCode == 0, $"chromium exited with {p.ExitCode}: {stderr.Result}");
            return stdout.Result;
        }
        finally
        {
            Scratch.Delete(profile);
        }
    }
}
