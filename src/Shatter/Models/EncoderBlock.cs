using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Shatter.Models;

/// <summary>
/// The pre-norm transformer encoder block of <see cref="VisionTransformer"/> and <see cref="TextTransformer"/>:
/// x + MHA(LN(x)), then x + MLP(LN(x)) with MLP width 4·width and GELU; heads of <see cref="VisionTransformer.HeadDim"/>
/// dimensions. 12·w² + 13·w parameters. An optional key mask, bool (B, 1, 1, T) true where a token may be attended
/// to, keeps padding out of the attention. Dropout (when on) after the attention projection and the MLP's hidden layer.
/// State-dict keys: norm1, qkv, proj, norm2, fc1, fc2 (each .weight and .bias).
/// </summary>
internal sealed class EncoderBlock : Module<Tensor, Tensor?, Tensor>
{
    private readonly LayerNorm norm1;
    private readonly Linear qkv;
    private readonly Linear proj;
    private readonly LayerNorm norm2;
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly int heads;
    private readonly double dropout;

    public EncoderBlock(int dim, double dropout) : base("Block")
    {
        norm1 = LayerNorm(dim);
        qkv = Linear(dim, 3 * dim);
        proj = Linear(dim, dim);
        norm2 = LayerNorm(dim);
        fc1 = Linear(dim, 4 * dim);
        fc2 = Linear(4 * dim, dim);
        heads = dim / VisionTransformer.HeadDim;
        this.dropout = dropout;
        RegisterComponents();
    }

    /// <summary>(B, T, D), optional key mask (B, 1, 1, T) → (B, T, D).</summary>
    public override Tensor forward(Tensor x, Tensor? keyMask)
    {
        using var scope = NewDisposeScope();
        using var one = 1.ToScalar(); // held for the residual adds (docs/torchsharp.md)
        long b = x.shape[0], t = x.shape[1], d = x.shape[2];
        // (B, T, 3D) -> (3, B, heads, T, D/heads)
        var parts = qkv.call(norm1.call(x)).reshape(b, t, 3, heads, d / heads).permute(2, 0, 3, 1, 4);
        // softmax(q·kᵀ / √(D/heads))·v inside libtorch: no Scalar crosses from .NET
        var attended = functional.scaled_dot_product_attention(parts[0], parts[1], parts[2], keyMask);
        var a = proj.call(attended.transpose(1, 2).reshape(b, t, d));
        if (dropout > 0) a = functional.dropout(a, dropout, training);
        x = x.add(a, one);
        var h = functional.gelu(fc1.call(norm2.call(x)));
        if (dropout > 0) h = functional.dropout(h, dropout, training);
        return scope.MoveToOuter(x.add(fc2.call(h), one));
    }
}
