using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Shatter.Models;

/// <summary>
/// The paper's small AlexNet (the TensorFlow CIFAR-10 tutorial network):
/// two × [conv 5×5, 64 channels, same padding → ReLU → max-pool 3×3 stride 2 (padding 1) → local
/// response normalization], then FC 384 → ReLU → FC 192 → ReLU → linear to the classes.
/// LRN(size 4, alpha 0.001/9, beta 0.75, k 1) as in the PyTorch anchor, with PyTorch's meaning: a window of
/// 4 channels and alpha divided by the window (TensorFlow's tutorial, tf.nn.lrn(depth_radius=4), sums 9
/// channels and does not divide; with alpha this small both are close to the identity). On 3×28×28: 28 → 14 → 7, so the
/// first FC layer sees 64·7·7 = 3136 features and the net has 1,387,786 parameters.
/// </summary>
public sealed class AlexNetSmall : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly MaxPool2d pool1;
    private readonly Conv2d conv2;
    private readonly MaxPool2d pool2;
    private readonly Linear fc384;
    private readonly Linear fc192;
    private readonly Linear output;
    private readonly double dropout;

    public AlexNetSmall(int channels, int height, int width, int classes, double dropout = 0) : base(nameof(AlexNetSmall))
    {
        conv1 = Conv2d(channels, 64, 5, padding: 2);
        pool1 = MaxPool2d(3, 2, 1);
        conv2 = Conv2d(64, 64, 5, padding: 2);
        pool2 = MaxPool2d(3, 2, 1);
        fc384 = Linear(64L * PooledSide(PooledSide(height)) * PooledSide(PooledSide(width)), 384);
        fc192 = Linear(384, 192);
        output = Linear(192, classes);
        this.dropout = dropout;
        RegisterComponents();
    }

    /// <summary>Side after max-pool 3×3, stride 2, padding 1: ⌊(n + 2 − 3) / 2⌋ + 1 (28 → 14, 32 → 16).</summary>
    public static int PooledSide(int n) => (n + 2 - 3) / 2 + 1;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        // Channels-last layout for the convolution stack (same values, other strides): libtorch's CPU
        // max-pool is an order of magnitude faster on it, and oneDNN's convolutions are as fast. A one-channel
        // input looks (B, C, H, W) to libtorch whatever its strides, so conv1's output is converted too (a copy
        // there; none for 3-channel inputs, whose conv1 already answers in channels-last).
        var x = ChannelsLast.Of(conv1.call(ChannelsLast.Of(input)));          // (B, C, 28, 28) -> (B, 64, 28, 28)
        // max-pool before ReLU: the same values (both are monotone, so they commute exactly) and the same
        // gradients, with the ReLU on a 4× smaller tensor
        x = Lrn(functional.relu(pool1.call(x)));                               // -> (B, 64, 14, 14)
        x = Lrn(functional.relu(pool2.call(conv2.call(x))));                   // -> (B, 64, 7, 7)
        x = x.flatten(1);                                                      // -> (B, 3136), in (C, H, W) order
        x = Dropout(functional.relu(fc384.call(x)));                           // -> (B, 384)
        x = Dropout(functional.relu(fc192.call(x)));                           // -> (B, 192)
        return scope.MoveToOuter(output.call(x));                              // -> (B, classes)
    }

    /// <summary>
    /// PyTorch's LocalResponseNorm(size 4, alpha 0.001/9, beta 0.75, k 1):
    /// x_c / (k + alpha/4 · Σ_{c'=c−2..c+1} x_{c'}²)^beta, out-of-range channels counting as 0. Computed with
    /// three shifted adds instead of libtorch's avg_pool3d formulation (3–4× faster; equal to it within
    /// float rounding, checked by a test).
    /// </summary>
    public static Tensor Lrn(Tensor x)
    {
        const int Size = 4;
        const double Alpha = 0.001 / 9.0, Beta = 0.75, K = 1.0;
        using var scope = NewDisposeScope();
        // every number libtorch reads is a Scalar held until the call returns (an implicit one can be
        // freed by a collection mid-call: docs/torchsharp.md)
        using Scalar one = 1.ToScalar(), two = 2.ToScalar(), scale = (Alpha / Size).ToScalar(), k = K.ToScalar(), power = (-Beta).ToScalar();
        long c = x.shape[1];
        var sq = x.pow(two);
        var window = sq.clone();
        window.narrow(1, 1, c - 1).add_(sq.narrow(1, 0, c - 1), one); // + x_{c-1}²
        window.narrow(1, 2, c - 2).add_(sq.narrow(1, 0, c - 2), one); // + x_{c-2}²
        window.narrow(1, 0, c - 1).add_(sq.narrow(1, 1, c - 1), one); // + x_{c+1}²
        return scope.MoveToOuter(x.mul(window.mul_(scale).add_(k, one).pow_(power)));
    }

    private Tensor Dropout(Tensor x) => dropout > 0 ? functional.dropout(x, dropout, training) : x;
}
