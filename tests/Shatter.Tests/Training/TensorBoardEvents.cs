using System.Buffers.Binary;
using System.Text;

namespace Shatter.Tests.Training;

/// <summary>
/// Reads TensorBoard event files without TensorBoard or a protobuf library, so the tests check the bytes
/// TensorBoard will read. A file is a sequence of TFRecords: uint64 length (little endian), the masked
/// CRC-32C of those 8 bytes, the data, the masked CRC-32C of the data; each data is a serialized
/// tensorflow.Event (event.proto): 1 wall_time double, 2 step int64, 3 file_version string, 5 summary
/// Summary { repeated Value value = 1 }, Value { 1 tag string, 2 simple_value float, 8 tensor TensorProto
/// { 8 repeated string_val bytes } }. Any CRC mismatch or truncated record throws.
/// </summary>
public static class TensorBoardEvents
{
    public sealed record Value(string Tag, float? Simple, string? Text);

    public sealed record Event(double WallTime, long Step, string? FileVersion, IReadOnlyList<Value> Values);

    public static List<Event> Read(string file)
    {
        var bytes = File.ReadAllBytes(file);
        var events = new List<Event>();
        int p = 0;
        while (p < bytes.Length)
        {
            if (bytes.Length - p < 12) throw new InvalidDataException($"{file}: truncated record header at byte {p}");
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(p, 8));
            uint lengthCrc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(p + 8, 4));
            if (lengthCrc != MaskedCrc32C(bytes.AsSpan(p, 8))) throw new InvalidDataException($"{file}: length CRC mismatch at byte {p}");
            p += 12;
            if ((ulong)(bytes.Length - p) < length + 4) throw new InvalidDataException($"{file}: truncated record at byte {p}");
            var data = bytes.AsSpan(p, (int)length);
            uint dataCrc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(p + (int)length, 4));
            if (dataCrc != MaskedCrc32C(data)) throw new InvalidDataException($"{file}: data CRC mismatch at byte {p}");
            events.Add(ParseEvent(data));
            p += (int)length + 4;
        }
        return events;
    }

    static Event ParseEvent(ReadOnlySpan<byte> data)
    {
        double wallTime = 0;
        long step = 0;
        string? version = null;
        var values = new List<Value>();
        var r = new Proto(data);
        while (r.Next(out int field, out int wire))
            switch (field, wire)
            {
                case (1, 1): wallTime = BitConverter.Int64BitsToDouble((long)r.Fixed64()); break;
                case (2, 0): step = (long)r.Varint(); break;
                case (3, 2): version = Encoding.UTF8.GetString(r.Bytes()); break;
                case (5, 2):
                    var summary = new Proto(r.Bytes());
                    while (summary.Next(out int f, out int w))
                        if (f == 1 && w == 2) values.Add(ParseValue(summary.Bytes()));
                        else summary.Skip(w);
                    break;
                default: r.Skip(wire); break;
            }
        return new Event(wallTime, step, version, values);
    }

    static Value ParseValue(ReadOnlySpan<byte> data)
    {
        string tag = "";
        float? simple = null;
        string? text = null;
        var r = new Proto(data);
        while (r.Next(out int field, out int wire))
            switch (field, wire)
            {
                case (1, 2): tag = Encoding.UTF8.GetString(r.Bytes()); break;
                case (2, 5): simple = BitConverter.Int32BitsToSingle((int)r.Fixed32()); break;
                case (8, 2):
                    var tensor = new Proto(r.Bytes());
                    while (tensor.Next(out int f, out int w))
                        if (f == 8 && w == 2) text = Encoding.UTF8.GetString(tensor.Bytes());
                        else tensor.Skip(w);
                    break;
                default: r.Skip(wire); break;
            }
        return new Value(tag, simple, text);
    }

    /// <summary>A protobuf wire-format cursor: field keys, varints, fixed 32/64-bit values, length-delimited bytes.</summary>
    ref struct Proto(ReadOnlySpan<byte> data)
    {
        readonly ReadOnlySpan<byte> data = data;
        int p;

        public bool Next(out int field, out int wire)
        {
            field = wire = 0;
            if (p >= data.Length) return false;
            ulong key = Varint();
            (field, wire) = ((int)(key >> 3), (int)(key & 7));
            return true;
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (int shift = 0; ; shift += 7)
            {
                if (shift > 63) throw new InvalidDataException("varint longer than 10 bytes");
                byte b = data[p++];
                value |= (ulong)(b & 0x7f) << shift;
                if (b < 0x80) return value;
            }
        }

        public ulong Fixed64() { var v = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(p, 8)); p += 8; return v; }

        public uint Fixed32() { var v = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(p, 4)); p += 4; return v; }

        public ReadOnlySpan<byte> Bytes()
        {
            int n = checked((int)Varint());
            var s = data.Slice(p, n);
            p += n;
            return s;
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0: Varint(); break;
                case 1: p += 8; break;
                case 2: Bytes(); break;
                case 5: p += 4; break;
                default: throw new InvalidDataException($"unsupported protobuf wire type {wire}");
            }
        }
    }

    /// <summary>TFRecord's checksum: CRC-32C (Castagnoli), rotated right by 15 bits plus 0xa282ead8.</summary>
    public static uint MaskedCrc32C(ReadOnlySpan<byte> data)
    {
        uint crc = Crc32C(data);
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }

    static readonly uint[] Table = [.. Enumerable.Range(0, 256).Select(i =>
    {
        uint c = (uint)i;
        for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0x82F63B78u ^ (c >> 1) : c >> 1; // reflected Castagnoli polynomial
        return c;
    })];

    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data) crc = Table[(crc ^ b) & 0xff] ^ (crc >> 8);
        return ~crc;
    }
}
