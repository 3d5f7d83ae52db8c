using static TorchSharp.torch;

namespace Shatter.Data;

/// <summary>
/// The IDX format of MNIST and Fashion-MNIST (plain or .gz): a big-endian header (magic 0x0000080D
/// where the third byte 0x08 is the unsigned-byte type and D the number of dimensions), D sizes, then
/// the values in row-major order.
/// </summary>
public static class IdxFormat
{
    /// <summary>Images file (magic 0x00000803) as uint8 (N, 1, H, W).</summary>
    public static Tensor ReadImages(string path)
    {
        var (dims, bytes, offset) = ReadHeader(path, expectedDims: 3, kind: "images");
        return ByteTensors.From(bytes.AsSpan(offset), [dims[0], 1, dims[1], dims[2]]);
    }

    /// <summary>Labels file (magic 0x00000801) as int64 (N); each label must be below <paramref name="classes"/>.</summary>
    public static Tensor ReadLabels(string path, int classes)
    {
        var (dims, bytes, offset) = ReadHeader(path, expectedDims: 1, kind: "labels");
        var span = bytes.AsSpan(offset);
        int bad = span.IndexOfAnyInRange((byte)classes, byte.MaxValue);
        if (bad >= 0)
            throw new ShatterException($"{path} has label {span[bad]} at index {bad}, outside 0..{classes - 1}; the file is damaged or belongs to another dataset.");
        using var raw = ByteTensors.From(span, [dims[0]]);
        return raw.to_type(ScalarType.Int64);
    }

    static (long[] Dims, byte[] Bytes, int Offset) ReadHeader(string path, int expectedDims, string kind)
    {
        var bytes = DataFiles.ReadAll(path);
        if (bytes.Length < 4 + 4 * expectedDims)
            throw new ShatterException($"{path} is too short to be an IDX {kind} file ({bytes.Length} bytes); replace it with a fresh copy.");
        if (bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 0x08 || bytes[3] != expectedDims)
            throw new ShatterException($"{path} has magic number 0x{bytes[0]:X2}{bytes[1]:X2}{bytes[2]:X2}{bytes[3]:X2}, not the IDX {kind} magic 0x000008{expectedDims:X2}; it is not an IDX {kind} file.");
        var dims = new long[expectedDims];
        for (int d = 0; d < expectedDims; d++)
            dims[d] = (long)bytes[4 + 4 * d] << 24 | (long)bytes[5 + 4 * d] << 16 | (long)bytes[6 + 4 * d] << 8 | bytes[7 + 4 * d];
        int offset = 4 + 4 * expectedDims;
        // in double: a damaged header can declare up to 2^96 bytes, which would wrap a long
        double expected = offset + dims.Aggregate(1.0, (a, b) => a * b);
        if (bytes.Length < expected)
            throw new ShatterException($"{path} is truncated: its header promises {string.Join('×', dims)} {kind} ({expected:F0} bytes) but it has {bytes.Length} bytes; replace it with a fresh copy.");
        if (bytes.Length > expected)
            throw new ShatterException($"{path} has {bytes.Length - expected:F0} bytes beyond the {dims[0]} {kind} its header declares; the file is damaged.");
        return (dims, bytes, offset);
    }
}
