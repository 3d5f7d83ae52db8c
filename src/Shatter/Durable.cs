using System.Runtime.InteropServices;

namespace Shatter;

/// <summary>
/// fsync for files and folders: a renamed file survives a power loss only once its data and the folder entry
/// naming it are on disk. .NET flushes files (FileStream.Flush(true)) but has no call for a folder, so both go
/// through libc's open/fsync on Linux and macOS; elsewhere files are flushed and folders are left to the OS.
/// </summary>
public static partial class Durable
{
    /// <summary>Paths synced, in order, when a test listens (null otherwise): lets tests check what is made durable when.</summary>
    public static Action<string>? Observer { get; set; }

    /// <summary>Flushes a file's data (or a folder's entries) to the disk.</summary>
    public static void Sync(string path)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            int fd = Open(path, 0 /* O_RDONLY: enough to fsync, and the only way to open a folder */);
            if (fd < 0) throw new IOException($"cannot open {path} to sync it (errno {Marshal.GetLastPInvokeError()})");
            try
            {
                if (Fsync(fd) != 0) throw new IOException($"cannot sync {path} to disk (errno {Marshal.GetLastPInvokeError()})");
            }
            finally
            {
                _ = Close(fd);
            }
        }
        else if (File.Exists(path))
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
            stream.Flush(flushToDisk: true);
        }
        Observer?.Invoke(path);
    }

    /// <summary>Syncs every file of a folder, then the folder itself.</summary>
    public static void SyncTree(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder)) Sync(file);
        Sync(folder);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
