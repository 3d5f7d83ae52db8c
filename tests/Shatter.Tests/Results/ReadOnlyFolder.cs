using System.Diagnostics;

namespace Shatter.Tests.Results;

/// <summary>
/// A folder that cannot be written, as a read-only mount is: as root (who may write through any file mode) a read-only
/// bind mount of it onto itself, else its write bits taken away. <see cref="Dispose"/> undoes that and deletes it.
/// </summary>
public sealed class ReadOnlyFolder : IDisposable
{
    readonly bool mounted;

    public string Path { get; }

    /// <summary>Makes <paramref name="path"/> (after <paramref name="fill"/> put its files there) read-only.</summary>
    public ReadOnlyFolder(string path, Action<string>? fill = null)
    {
        Path = path;
        Directory.CreateDirectory(path);
        fill?.Invoke(path);
        if (Environment.UserName == "root")
        {
            Run("mount", "-o", "bind,ro", path, path);
            mounted = true;
        }
        else if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        Assert.ThrowsAny<Exception>(() => File.WriteAllText(System.IO.Path.Combine(path, "probe"), ""));   // really read-only
    }

    static void Run(string tool, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(tool, args) { RedirectStandardError = true, UseShellExecute = false })!;
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed: {error.Trim()}");
    }

    public void Dispose()
    {
        if (mounted) Run("umount", Path);
        else if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Scratch.Delete(Path);
    }
}
