using System.IO.Compression;
using System.Text;

namespace Shatter.Tests.Data;

/// <summary>.npy and .npz files written by hand from C#, byte for byte as numpy.lib.format documents them (version 1.0).</summary>
public static class NpyFiles
{
    /// <summary>A .npy file: magic, version 1.0, a uint16 header length, the dict padded with spaces to a multiple of 64, the data.</summary>
    public static byte[] Npy(string descr, long[] shape, byte[] data, bool fortran = false)
    {
        var dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        var dict = $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': ({dims}), }}";
        int total = 10 + dict.Length + 1;
        dict = dict.PadRight(dict.Length + (64 - total % 64) % 64) + "\n";
        var header = Encoding.ASCII.GetBytes(dict);
        using var m = new MemoryStream();
        m.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        m.Write(BitConverter.GetBytes((ushort)header.Length));
        m.Write(header);
        m.Write(data);
        return m.ToArray();
    }

    /// <summary>An .npz: a zip holding NAME.npy per array (stored, as np.savez writes them).</summary>
    public static void Npz(string path, IReadOnlyDictionary<string, byte[]> arrays)
    {
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        foreach (var (name, bytes) in arrays)
        {
            var entry = zip.CreateEntry(name + ".npy", CompressionLevel.NoCompression);
            using var s = entry.Open();
            s.Write(bytes);
        }
    }

    public static byte[] Longs(IEnumerable<long> values) => values.SelectMany(BitConverter.GetBytes).ToArray();
}
