using static TorchSharp.torch;

namespace Shatter.Tests;

/// <summary>Whole-tensor equality (TorchSharp's Tensor.equal compares element-wise).</summary>
public static class Same
{
    public static bool Tensors(Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape) || a.dtype != b.dtype) return false;
        using var eq = a.eq(b);
        using var all = eq.all();
        return all.item<bool>();
    }
}
