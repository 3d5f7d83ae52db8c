using System.IO.Compression;

namespace Shatter.Data;

/// <summary>Reads whole files, plain or gzip-compressed, turning I/O and format failures into one-sentence errors.</summary>
internal static class DataFiles
{
    public static byte[] ReadAll(string path)
    {
        try
        {
            if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) return File.ReadAllBytes(path);
            using var file = File.OpenRead(path);
            using var gz = new GZipStream(file, CompressionMode.Decompress);
            using var memory = new MemoryStream();
            gz.CopyTo(memory);
            return memory.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new ShatterException($"{path} is not a valid gzip file ({Reason(e)}); the download is probably damaged: replace the file with a fresh copy.", e);
        }
        catch (EndOfStreamException e)
        {
            throw new ShatterException($"{path} is a truncated gzip file; replace it with a fresh copy.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ShatterException($"{path} could not be read ({Reason(e)}); check that it exists and is readable.", e);
        }
    }

    /// <summary>An exception's message as a clause inside our sentence: first letter lower-case, no final period.</summary>
    public static string Reason(Exception e)
    {
        var m = e.Message.Trim().TrimEnd('.').ReplaceLineEndings(" ");
        return m.Length > 1 && char.IsUpper(m[0]) && !char.IsUpper(m[1]) ? char.ToLowerInvariant(m[0]) + m[1..] : m;
    }
}
