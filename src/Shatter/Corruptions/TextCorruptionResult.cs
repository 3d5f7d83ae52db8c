using Shatter.Data;
using static TorchSharp.torch;

namespace Shatter.Corruptions;

/// <summary>
/// Texts after an input randomization: new train and test splits (same lengths and labels), and the per-training-text
/// mask of texts whose ids changed (bool N) with its mean.
/// </summary>
public sealed record TextCorruptionResult(TextSplit Train, TextSplit Test, Tensor Changed, double FractionChanged) : IDisposable
{
    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
        Changed.Dispose();
    }
}
