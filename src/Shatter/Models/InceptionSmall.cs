using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Shatter.Models;

/// <summary>
/// The paper's small Inception (its Figure 3), built from three modules:
/// - Conv module(c, k, stride): conv k×k without bias → batch norm with no learned scale and a learned
///   offset <c>beta</c> → ReLU; "same" padding at stride 1, "valid" at stride 2. Without batch norm
///   (<c>inception-nobn</c>) the offset becomes the conv bias, so the parameter count is the same.
/// - Inception module(c1, c3): Conv module(c1, 1×1) ‖ Conv module(c3, 3×3), concatenated on channels.
/// - Downsample module(c3): Conv module(c3, 3×3, stride 2) ‖ max-pool 3×3 stride 2, concatenated.
/// Network: conv1(96) → inception1a(32,32) → inception1b(32,48) → downsample1(80) → inception2a(112,48)
/// → inception2b(96,64) → inception2c(80,80) → inception2d(48,96) → downsample2(96) → inception3a(176,160)
/// → inception3b(176,160) → global mean pool → fc. Spatial sides on 28×28 input: 28 → 13 → 6; on 32×32:
/// 32 → 15 → 7. 1,649,402 parameters on 3×28×28 with 10 classes, with or without batch norm.
/// Batch norm uses PyTorch's defaults (eps 1e-5, running-statistics momentum 0.1), as the anchor does.
/// Initialization: PyTorch's defaults with batch norm (it rescales every layer); without batch norm the
/// convolutions get He initialization with zero biases (see ConvModule: with PyTorch's defaults that
/// network's output is constant and it never leaves chance).
/// </summary>
public sealed class InceptionSmall : Module<Tensor, Tensor>
{
    private readonly ConvModule conv1;
    private readonly InceptionModule inception1a;
    private readonly InceptionModule inception1b;
    private readonly DownsampleModule downsample1;
    private readonly InceptionModule inception2a;
    private readonly InceptionModule inception2b;
    private readonly InceptionModule inception2c;
    private readonly InceptionModule inception2d;
    private readonly DownsampleModule downsample2;
    private readonly InceptionModule inception3a;
    private readonly InceptionModule inception3b;
    private readonly Linear fc;
    private readonly double dropout;

    /// <summary>Smallest input side: each downsample needs at least 3×3 (7 → 3 → 1).</summary>
    public const int MinimumSide = 7;

    public InceptionSmall(int channels, int classes, bool batchNorm = true, double dropout = 0) : base(nameof(InceptionSmall))
    {
        conv1 = new ConvModule(channels, 96, 3, 1, batchNorm);
        inception1a = new InceptionModule(96, 32, 32, batchNorm);         // -> 64 channels
        inception1b = new InceptionModule(64, 32, 48, batchNorm);         // -> 80
        downsample1 = new DownsampleModule(80, 80, batchNorm);            // -> 160, side 28 -> 13
        inception2a = new InceptionModule(160, 112, 48, batchNorm);       // -> 160
        inception2b = new InceptionModule(160, 96, 64, batchNorm);        // -> 160
        inception2c = new InceptionModule(160, 80, 80, batchNorm);        // -> 160
        inception2d = new InceptionModule(160, 48, 96, batchNorm);        // -> 144
        downsample2 = new DownsampleModule(144, 96, batchNorm);           // -> 240, side 13 -> 6
        inception3a = new InceptionModule(240, 176, 160, batchNorm);      // -> 336
        inception3b = new InceptionModule(336, 176, 160, batchNorm);      // -> 336
        fc = Linear(336, classes);
        this.dropout = dropout;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        // channels-last activations (ChannelsLast: the max-pools of the downsample modules run their fast kernel,
        // the convolutions skip layout reorders); a one-channel input needs conv1's output converted
        var x = ChannelsLast.Of(conv1.call(ChannelsLast.Of(input)));           // (B, C, 28, 28) -> (B, 96, 28, 28)
        x = downsample1.call(inception1b.call(inception1a.call(x)));           // -> (B, 160, 13, 13)
        x = inception2d.call(inception2c.call(inception2b.call(inception2a.call(x))));  // -> (B, 144, 13, 13)
        x = downsample2.call(x);                                               // -> (B, 240, 6, 6)
        x = inception3b.call(inception3a.call(x));                             // -> (B, 336, 6, 6)
        x = x.mean([2, 3]);                                                    // global mean pool -> (B, 336)
        if (dropout > 0) x = functional.dropout(x, dropout, training);
        return scope.MoveToOuter(fc.call(x));                                  // -> (B, classes)
    }

    /// <summary>Conv → BN (no scale) + beta → ReLU, or conv with bias → ReLU without batch norm.</summary>
    private sealed class ConvModule : Module<Tensor, Tensor>
    {
        private readonly Conv2d conv;
        private readonly BatchNorm2d? bn;
        private readonly Parameter? beta;

        public ConvModule(int inputs, int outputs, int kernel, int stride, bool batchNorm) : base(nameof(ConvModule))
        {
            // stride 1: "same" padding; stride 2: "valid" (the downsample modules)
            conv = Conv2d(inputs, outputs, kernel, stride: stride, padding: stride == 1 ? kernel / 2 : 0, bias: !batchNorm);
            if (batchNorm)
            {
                bn = new BatchNorm2d(outputs, affine: false);
                beta = new Parameter(zeros(outputs));
            }
            else
            {
                // Without batch norm nothing rescales the signal. PyTorch's default conv init (weights uniform with
                // variance 1/(3·fan_in), biases uniform ±1/√fan_in) shrinks it ~6× in variance per conv + ReLU, so
                // after the 11 convolutions of the deepest path the activations are the biases' constant, the
                // output does not depend on the image, and the net sits at chance (loss ln 10 = 2.3026).
                // He initialization (normal, variance 2/fan_in, He et al. 2015) with zero biases keeps the
                // variance through depth. Only the initial values change: same layers, same parameters.
                init.kaiming_normal_(conv.weight, mode: init.FanInOut.FanIn, nonlinearity: init.NonlinearityType.ReLU);
                init.zeros_(conv.bias!);
            }
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            if (bn is null) return functional.relu(conv.call(input));
            using var scope = NewDisposeScope();
            // BN without scale, plus beta: libtorch's batch norm with weight = null and bias = beta is the
            // same function in one fused kernel (measured ~18% cheaper than bn(x) + beta on CPU). It uses
            // and updates bn's running statistics exactly as bn.call would, so the keys stay bn.running_*.
            var x = bn.Normalize(conv.call(input), null, beta);
            return scope.MoveToOuter(functional.relu(x));
        }
    }

    /// <summary>1×1 branch ‖ 3×3 branch, concatenated on channels: (B, Cin, H, W) -> (B, c1 + c3, H, W).</summary>
    private sealed class InceptionModule : Module<Tensor, Tensor>
    {
        private readonly ConvModule branch1x1;
        private readonly ConvModule branch3x3;

        public InceptionModule(int inputs, int c1, int c3, bool batchNorm) : base(nameof(InceptionModule))
        {
            branch1x1 = new ConvModule(inputs, c1, 1, 1, batchNorm);
            branch3x3 = new ConvModule(inputs, c3, 3, 1, batchNorm);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            return scope.MoveToOuter(cat([branch1x1.call(input), branch3x3.call(input)], 1));
        }
    }

    /// <summary>Strided 3×3 conv ‖ 3×3 max-pool, both stride 2 valid: (B, Cin, H, W) -> (B, c3 + Cin, ⌊(H−3)/2⌋+1, ...).</summary>
    private sealed class DownsampleModule : Module<Tensor, Tensor>
    {
        private readonly ConvModule conv;
        private readonly MaxPool2d pool;

        public DownsampleModule(int inputs, int c3, bool batchNorm) : base(nameof(DownsampleModule))
        {
            conv = new ConvModule(inputs, c3, 3, 2, batchNorm);
            pool = MaxPool2d(3, 2);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            return scope.MoveToOuter(cat([conv.call(input), pool.call(input)], 1));
        }
    }
}
