using TorchSharp;
using TorchSharp.Modules;
using BatchNorm2d = Shatter.Models.BatchNorm2d;
using static TorchSharp.torch;

namespace Shatter.Measures;

/// <summary>
/// Folds every batch norm into the convolution before it, in place, so that norm measures see the weights
/// the network really applies in eval mode. For y = conv(x) and BN(y) = w·(y − μ)/√(v + ε) + β (w = 1
/// when BN has no scale) the conv's weight and bias are multiplied per channel by s = w/√(v + ε); the BN
/// is left as a pure shift: running mean s·μ, running variance 1 − ε, scale 1, β kept, so
/// BN'(s·y) = s·(y − μ) + β and the folded network computes the same outputs (eval mode).
/// Batch norm must directly follow a convolution (Shatter's Inception: conv → BN → ReLU); wide ResNets'
/// pre-activation batch norm (BN → ReLU → conv) cannot be folded and is refused.
/// </summary>
public static class BatchNormFolding
{
    public static void Fold(nn.Module model)
    {
        using var noGrad = no_grad();
        Conv2d? previous = null;
        foreach (var (name, module) in model.named_modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    previous = conv;
                    break;
                case Linear:
                    previous = null;
                    break;
                case BatchNorm2d bn:
                    if (previous is null || previous.weight!.shape[0] != bn.RunningMean.shape[0])
                        throw new ShatterException($"the batch norm {name} does not follow a convolution, so it cannot be folded into one; measures support MLPs, AlexNet and Inception, not pre-activation networks such as wide ResNets.");
                    FoldInto(previous, bn);
                    previous = null;
                    break;
            }
        }
    }

    static void FoldInto(Conv2d conv, BatchNorm2d bn)
    {
        using var scope = NewDisposeScope();
        using var eps = bn.Eps.ToScalar();
        using var oneMinusEps = (1 - bn.Eps).ToScalar();
        using var unit = 1.0.ToScalar();
        var s = bn.RunningVar.add(eps, unit).rsqrt();                     // (C)
        if (bn.Weight is { } w) s = s.mul(w);
        conv.weight!.mul_(s.view(-1, 1, 1, 1));                        // (C, in, k, k) scaled per output channel
        conv.bias?.mul_(s);
        bn.RunningMean.mul_(s);
        bn.RunningVar.fill_(oneMinusEps);
        if (bn.Weight is { } weight)
        {
            using var one = 1.0.ToScalar();
            weight.fill_(one);
        }
    }
}
