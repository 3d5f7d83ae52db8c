using static TorchSharp.torch;

namespace Shatter.Data;

/// <summary>uint8 tensors filled straight from file bytes, without the extra managed array that tensor(byte[]) needs.</summary>
internal static class ByteTensors
{
    /// <summary>A new uint8 tensor of <paramref name="shape"/> holding <paramref name="bytes"/> (row-major).</summary>
    public static Tensor From(ReadOnlySpan<byte> bytes, long[] shape)
    {
        var t = empty(shape, ScalarType.Byte);
        using var storage = t.data<byte>();
        storage.CopyFrom(bytes, 0, 0);
        return t;
    }
}
