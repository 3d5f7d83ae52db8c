namespace Shatter;

/// <summary>
/// Writes a file beside its destination, syncs it to disk, renames it into place and syncs the folder, so a
/// reader, a killed process or a power loss never sees a half-written file: afterwards the path holds either
/// the old content or the new, durably. A file that names another (summary.json names the weights) is written
/// after it, so it never points at a file a power loss could take back.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        try
        {
            Directory.CreateDirectory(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ShatterException($"cannot create the folder {dir} ({e.Message.TrimEnd('.')}); choose an output path you can write to.", e);
        }
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = File.Create(tmp))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            Durable.Observer?.Invoke(tmp);
            File.Move(tmp, full, overwrite: true);
            Durable.Sync(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(tmp);
            throw new ShatterException($"cannot write {full} ({e.Message.TrimEnd('.')}); choose an output path you can write to.", e);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>
    /// The same for a writer that takes a file name (libtorch's and PyBridge's savers): <paramref name="write"/> writes the
    /// temporary file it is given, which is then synced, renamed into place and its folder synced.
    /// </summary>
    public static void WriteFile(string path, Action<string> write)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            Directory.CreateDirectory(dir);
            write(tmp);
            Durable.Sync(tmp);
            File.Move(tmp, full, overwrite: true);
            Durable.Sync(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ShatterException($"cannot write {full} ({e.Message.TrimEnd('.')}); choose an output path you can write to, with room on its disk.", e);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, s =>
        {
            using var w = new StreamWriter(s, leaveOpen: true);
            w.Write(text);
        });
}
