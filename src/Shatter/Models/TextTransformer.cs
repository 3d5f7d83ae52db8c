using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Shatter.Models;

/// <summary>
/// A small transformer encoder over token ids, for text classification (beyond the paper): a token embedding
/// (vocabulary × width, the padding row 0 kept at zero), learned position embeddings (N(0, 0.02²), max-tokens × width),
/// <c>depth</c> pre-norm encoder blocks (<see cref="EncoderBlock"/>, heads of 32 dimensions) whose attention never
/// looks at padding, a final layer norm, the mean over the text's tokens (padding excluded), and a linear head.
/// Parameters: V·w + T·w + depth·(12·w² + 13·w) + 2·w + w·C + C; text-transformer-2x128 on the fortunes corpus at 64
/// tokens (compact vocabulary V = 25,084, C = 32) has 3,210,752 + 8,192 + 396,544 + 256 + 4,128 = 3,619,872.
/// State-dict keys: embed.weight, pos, blocks.0.norm1.weight, ..., norm.weight, head.weight.
/// </summary>
public sealed class TextTransformer : Module<Tensor, Tensor>
{
    private readonly Embedding embed;
    private readonly Parameter pos;
    private readonly ModuleList<EncoderBlock> blocks;
    private readonly LayerNorm norm;
    private readonly Linear head;

    public TextTransformer(int vocabulary, int maxTokens, int depth, int dim, int classes, double dropout = 0)
        : base(nameof(TextTransformer))
    {
        embed = Embedding(vocabulary, dim, padding_idx: 0);
        using var std = 0.02.ToScalar();
        pos = new Parameter(randn(1, maxTokens, dim).mul_(std));
        blocks = new ModuleList<EncoderBlock>();
        for (int i = 0; i < depth; i++) blocks.Add(new EncoderBlock(dim, dropout));
        norm = LayerNorm(dim);
        head = Linear(dim, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        using var one = 1.ToScalar(); // held for the add (docs/torchsharp.md)
        long t = ids.shape[1];
        var mask = TokenPooling.Mask(ids);                                   // (B, T)
        var x = embed.call(ids).add(pos.narrow(1, 0, t), one);               // (B, T) -> (B, T, D)
        var keys = mask.view(ids.shape[0], 1, 1, t);                         // (B, 1, 1, T): attend to tokens only
        foreach (var block in blocks) x = block.call(x, keys);
        x = TokenPooling.Mean(norm.call(x), mask);                           // (B, D)
        return scope.MoveToOuter(head.call(x));                              // (B, classes)
    }
}
