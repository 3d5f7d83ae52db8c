using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Shatter.Models;

/// <summary>
/// A small Vision Transformer (Dosovitskiy et al. 2021), beyond the paper's models: patch embedding
/// (a conv k = s = patch), a learned class token, learned position embeddings, <c>depth</c> pre-norm
/// encoder blocks (<see cref="EncoderBlock"/>: x + MHA(LN(x)), then x + MLP(LN(x)), MLP width 4·width with GELU), a final layer
/// norm and a linear head on the class token. Heads of 32 dimensions each (width / 32).
/// Per block 12·w² + 13·w parameters; vit-6x128 on 3×28×28 (patch 4: 49 patches + the class token)
/// with 10 classes has 1,203,978 — the paper's models' size. Dropout (when on) after the attention
/// projection and after the MLP's hidden layer.
/// State-dict keys: patch.weight, cls, pos, blocks.0.norm1.weight, blocks.0.qkv.weight, blocks.0.proj.weight,
/// blocks.0.fc1.weight, ..., norm.weight, head.weight.
/// </summary>
public sealed class VisionTransformer : Module<Tensor, Tensor>
{
    public const int HeadDim = 32;

    private readonly Conv2d patch;
    private readonly Parameter cls;
    private readonly Parameter pos;
    private readonly ModuleList<EncoderBlock> blocks;
    private readonly LayerNorm norm;
    private readonly Linear head;

    public VisionTransformer(int channels, int height, int width, int patchSize, int depth, int dim, int classes, double dropout = 0)
        : base(nameof(VisionTransformer))
    {
        int tokens = (height / patchSize) * (width / patchSize) + 1;
        patch = Conv2d(channels, dim, patchSize, stride: patchSize);
        // ViT's initialisation of the token and positions: N(0, 0.02²)
        using var std = 0.02.ToScalar();
        cls = new Parameter(randn(1, 1, dim).mul_(std));
        pos = new Parameter(randn(1, tokens, dim).mul_(std));
        blocks = new ModuleList<EncoderBlock>();
        for (int i = 0; i < depth; i++) blocks.Add(new EncoderBlock(dim, dropout));
        norm = LayerNorm(dim);
        head = Linear(dim, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        using var one = 1.ToScalar(); // held for the adds (docs/torchsharp.md)
        var x = patch.call(input).flatten(2).transpose(1, 2);        // (B, C, H, W) -> (B, D, H/p, W/p) -> (B, N, D)
        var token = cls.expand(x.shape[0], -1, -1);                   // (B, 1, D)
        x = cat([token, x], 1).add(pos, one);                         // (B, N + 1, D)
        foreach (var block in blocks) x = block.call(x, null);
        x = norm.call(x.select(1, 0));                                // the class token: (B, D)
        return scope.MoveToOuter(head.call(x));                       // (B, classes)
    }
}
