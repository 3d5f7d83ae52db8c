using static TorchSharp.torch;

namespace Shatter.Training.SemiSupervised;

/// <summary>
/// FixMatch's unlabelled term for one batch: <see cref="Loss"/> the scalar (with its graph through the strong view),
/// <see cref="Mask"/> (μB) bool the confident examples, <see cref="Targets"/> (μB) int64 the weak view's argmax (the
/// pseudo-labels, defined for every example, used where masked), <see cref="MaskRate"/> the confident share.
/// </summary>
public sealed record FixMatchTerm(Tensor Loss, Tensor Mask, Tensor Targets, double MaskRate) : IDisposable
{
    public void Dispose()
    {
        Loss.Dispose();
        Mask.Dispose();
        Targets.Dispose();
    }
}
