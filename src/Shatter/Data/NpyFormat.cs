using System.Text;
using System.Text.RegularExpressions;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Data;

/// <summary>
/// A reader of NumPy's .npy format (numpy.lib.format, versions 1.0, 2.0 and 3.0): the magic "\x93NUMPY", a
/// major and minor version byte, the header length (uint16 little-endian in 1.0, uint32 in 2.0 and 3.0), a
/// Python dict literal {'descr': '&lt;f4', 'fortran_order': False, 'shape': (N, H, W), } padded with spaces, then
/// the values in C (or, with fortran_order, Fortran) order. Numeric dtypes of plain little-endian (or one-byte)
/// numbers are read: bool, int8/16/32/64, uint8/16/32 and float16/32/64; structured, object, complex, uint64
/// and big-endian arrays are refused in one sentence. Why not a package: NumSharp (the .NET numpy) brings its own
/// array type that would be copied into a tensor anyway, and the format is a short documented header.
/// </summary>
public static partial class NpyFormat
{
    static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex Descr();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex Fortran();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex Shape();

    /// <summary>What a header declares.</summary>
    public sealed record Header(string Descr, long[] Shape, bool FortranOrder)
    {
        public long Count => Shape.Aggregate(1L, (a, b) => a * b);
    }

    /// <summary>
    /// Reads one array from <paramref name="stream"/> (<paramref name="length"/> bytes in all, header included)
    /// as a tensor in C order with the array's shape and the matching dtype (uint16 and uint32 widen to int32 and
    /// int64). <paramref name="where"/> names the array in messages (a file, or an archive and its member).
    /// </summary>
    public static Tensor Read(Stream stream, long length, string where)
    {
        var (header, headerBytes) = ReadHeader(stream, where);
        var (type, size) = TypeOf(header.Descr, where);
        long expected = headerBytes + header.Count * size;
        if (length < expected)
            throw new ShatterException($"{where} is truncated: its header declares a {header.Descr} array of shape ({string.Join(", ", header.Shape)}), {expected} bytes, but it has {length}; save it again.");
        if (length > expected)
            throw new ShatterException($"{where} has {length - expected} bytes beyond the ({string.Join(", ", header.Shape)}) array its header declares; save it again.");
        var shape = header.FortranOrder ? header.Shape.Reverse().ToArray() : header.Shape;
        var raw = empty(shape, type);
        try
        {
            raw.ReadBytesFromStream(stream, 1 << 20);
            var widened = Widen(raw, header.Descr);
            if (!header.FortranOrder) return widened;
            using (widened)
                return widened.permute(Enumerable.Range(0, shape.Length).Reverse().Select(i => (long)i).ToArray()).contiguous();
        }
        catch (EndOfStreamException e)
        {
            raw.Dispose();
            throw new ShatterException($"{where} ends before its ({string.Join(", ", header.Shape)}) array does; save it again.", e);
        }
    }

    /// <summary>Reads a whole .npy file.</summary>
    public static Tensor ReadFile(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            return Read(stream, stream.Length, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ShatterException($"{path} could not be read ({DataFiles.Reason(e)}); check that it exists and is readable.", e);
        }
    }

    /// <summary>The header, and how many bytes it took (magic and length fields included).</summary>
    public static (Header Header, int Bytes) ReadHeader(Stream stream, string where)
    {
        var start = new byte[8];
        if (ReadFully(stream, start) < 8 || !start.AsSpan(0, 6).SequenceEqual(Magic))
            throw new ShatterException($"{where} is not a NumPy .npy array (it does not start with \\x93NUMPY); save it with numpy.save or numpy.savez.");
        int major = start[6];
        if (major is < 1 or > 3)
            throw new ShatterException($"{where} is a .npy file of format version {major}.{start[7]}, which this reader does not know (it reads 1.0 to 3.0); save it with a current numpy.");
        var lengthBytes = new byte[major == 1 ? 2 : 4];
        if (ReadFully(stream, lengthBytes) < lengthBytes.Length) throw Truncated(where);
        int headerLength = major == 1 ? BitConverter.ToUInt16(lengthBytes) : checked((int)BitConverter.ToUInt32(lengthBytes));
        var text = new byte[headerLength];
        if (ReadFully(stream, text) < headerLength) throw Truncated(where);
        var dict = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(text);
        var descr = Descr().Match(dict);
        var fortran = Fortran().Match(dict);
        var shape = Shape().Match(dict);
        if (!descr.Success || !fortran.Success || !shape.Success)
            throw new ShatterException($"{where} has a header numpy's plain arrays do not have ({dict.Trim()}); save a plain numeric array (not a structured or object one).");
        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(d => long.TryParse(d.TrimEnd('L'), out var v) && v >= 0 ? v : throw new ShatterException($"{where} declares the shape ({shape.Groups[1].Value}); save it again.")).ToArray();
        return (new Header(descr.Groups[1].Value, dims, fortran.Groups[1].Value == "True"), 8 + lengthBytes.Length + headerLength);
    }

    static ShatterException Truncated(string where) => new($"{where} is truncated inside its .npy header; save it again.");

    static int ReadFully(Stream s, byte[] buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = s.Read(buffer, total, buffer.Length - total);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    /// <summary>The tensor type the raw values are read as, and their size in bytes.</summary>
    static (ScalarType Type, int Size) TypeOf(string descr, string where)
    {
        if (descr.Length >= 3 && descr[0] == '>' && descr[^1] != '1')
            throw new ShatterException($"{where} holds big-endian numbers ({descr}); save it as little-endian, e.g. x.astype(x.dtype.newbyteorder('<')).");
        return descr.TrimStart('<', '|', '=', '>') switch
        {
            "b1" => (ScalarType.Bool, 1),
            "u1" => (ScalarType.Byte, 1),
            "i1" => (ScalarType.Int8, 1),
            "i2" => (ScalarType.Int16, 2),
            "u2" => (ScalarType.Int16, 2),
            "i4" => (ScalarType.Int32, 4),
            "u4" => (ScalarType.Int32, 4),
            "i8" => (ScalarType.Int64, 8),
            "f2" => (ScalarType.Float16, 2),
            "f4" => (ScalarType.Float32, 4),
            "f8" => (ScalarType.Float64, 8),
            _ => throw new ShatterException($"{where} holds values of NumPy type '{descr}', which is not a plain number type Shatter reads; save images as uint8 or float32 and labels as integers (e.g. x.astype('uint8')).")
        };
    }

    /// <summary>uint16 and uint32 were read into the signed type of their size: reinterpret them into a wider one.</summary>
    static Tensor Widen(Tensor raw, string descr)
    {
        var kind = descr.TrimStart('<', '|', '=', '>');
        if (kind is not ("u2" or "u4")) return raw;
        using (raw)
        {
            // the signed value's two's complement bits, masked to the unsigned width: −1 (0xFFFF) → 65535
            using var wide = raw.to_type(kind == "u2" ? ScalarType.Int32 : ScalarType.Int64);
            using var mask = tensor(kind == "u2" ? 0xFFFFL : 0xFFFFFFFFL).to_type(wide.dtype);
            return wide.bitwise_and(mask);
        }
    }
}
