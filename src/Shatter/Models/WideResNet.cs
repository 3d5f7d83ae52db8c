using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Shatter.Models;

/// <summary>
/// Wide residual network WRN-depth-k (Zagoruyko and Komodakis 2016), as in the fitting-random-labels
/// demo of the paper's first author: conv1 3×3 (16) → block1 (16k, stride 1) → block2 (32k, stride 2)
/// → block3 (64k, stride 2) → BN → ReLU → global mean pool → fc. Each block group holds (depth − 4) / 6
/// pre-activation basic blocks [BN → ReLU → conv 3×3 → BN → ReLU → (dropout) → conv 3×3] plus the
/// shortcut: identity, or a 1×1 conv (taken after the first BN-ReLU) when the shape changes. Convs have
/// no bias. WRN-28-1 on 3×32×32 with 10 classes has 369,498 parameters.
/// State-dict keys: conv1.weight, block1.0.bn1.weight, ..., block2.0.shortcut.weight, bn.weight, fc.weight.
/// </summary>
public sealed class WideResNet : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly Sequential block1;
    private readonly Sequential block2;
    private readonly Sequential block3;
    private readonly BatchNorm2d bn;
    private readonly Linear fc;

    public WideResNet(int channels, int depth, int widen, int classes, double dropout = 0) : base(nameof(WideResNet))
    {
        if (depth < 10 || (depth - 4) % 6 != 0)
            throw new ShatterException($"a wide ResNet's depth must be 6n + 4 with n ≥ 1 (10, 16, 22, 28, 40, ...), not {depth}.");
        int n = (depth - 4) / 6;
        int[] widths = [16, 16 * widen, 32 * widen, 64 * widen];
        conv1 = Conv2d(channels, widths[0], 3, padding: 1, bias: false);
        block1 = Group(n, widths[0], widths[1], 1, dropout);   // (B, 16, H, W) -> (B, 16k, H, W)
        block2 = Group(n, widths[1], widths[2], 2, dropout);   // -> (B, 32k, H/2, W/2)
        block3 = Group(n, widths[2], widths[3], 2, dropout);   // -> (B, 64k, H/4, W/4)
        bn = new BatchNorm2d(widths[3]);
        fc = Linear(widths[3], classes);
        RegisterComponents();
    }

    private static Sequential Group(int blocks, int inputs, int outputs, int stride, double dropout) =>
        Sequential(Enumerable.Range(0, blocks)
            .Select(i => (Module<Tensor, Tensor>)new BasicBlock(i == 0 ? inputs : outputs, outputs, i == 0 ? stride : 1, dropout))
            .ToArray());

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = conv1.call(input);                               // (B, C, 32, 32) -> (B, 16, 32, 32)
        x = block3.call(block2.call(block1.call(x)));            // -> (B, 64k, 8, 8)
        x = functional.relu(bn.call(x)).mean([2, 3]);            // -> (B, 64k)
        return scope.MoveToOuter(fc.call(x));                    // -> (B, classes)
    }

    /// <summary>Pre-activation basic block: (B, Cin, H, W) -> (B, Cout, H/stride, W/stride).</summary>
    private sealed class BasicBlock : Module<Tensor, Tensor>
    {
        private readonly BatchNorm2d bn1;
        private readonly Conv2d conv1;
        private readonly BatchNorm2d bn2;
        private readonly Conv2d conv2;
        private readonly Conv2d? shortcut;
        private readonly double dropout;
        private readonly Scalar one = 1.ToScalar();   // held: an implicit Scalar can be freed mid-call (docs/torchsharp.md)

        public BasicBlock(int inputs, int outputs, int stride, double dropout) : base(nameof(BasicBlock))
        {
            bn1 = new BatchNorm2d(inputs);
            conv1 = Conv2d(inputs, outputs, 3, stride: stride, padding: 1, bias: false);
            bn2 = new BatchNorm2d(outputs);
            conv2 = Conv2d(outputs, outputs, 3, padding: 1, bias: false);
            if (inputs != outputs || stride != 1)
                shortcut = Conv2d(inputs, outputs, 1, stride: stride, bias: false);
            this.dropout = dropout;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var activated = functional.relu(bn1.call(input));
            var x = functional.relu(bn2.call(conv1.call(activated)));
            if (dropout > 0) x = functional.dropout(x, dropout, training);
            x = conv2.call(x);
            // identity on the raw input; the 1×1 projection on the pre-activated input (as in the demo)
            var residual = shortcut is null ? input : shortcut.call(activated);
            return scope.MoveToOuter(x.add(residual, one));
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) one.Dispose();
            base.Dispose(disposing);
        }
    }
}
