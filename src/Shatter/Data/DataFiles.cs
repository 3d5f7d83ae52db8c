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
            throw new ShatterException($"{path} is not a valid gzip file ({e.Message.TrimEnd('.')}); the download is probably damaged: replace the file with a fresh copy.", e);
        }
        catch (EndOfStreamException e)
        {
            throw new ShatterException($"{path} is a truncated gzip file; replace it with a fresh copy.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ShatterException($"{path} could not be read ({e.Message.TrimEnd('.')}); check that it exists and is readable.", e);
        }
    }
}
