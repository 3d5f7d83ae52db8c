using static TorchSharp.torch;

namespace Shatter.Training.Reinforcement;

/// <summary>
/// One update's loss: <see cref="Total"/> (a scalar tensor with its graph, to call backward on) and its parts as
/// numbers: the policy term, the baseline's squared error, the mean entropy, the mean advantage, and the number of
/// steps they average over.
/// </summary>
public sealed record ReinforceLossParts(Tensor Total, double Policy, double Value, double Entropy, double MeanAdvantage, long Steps) : IDisposable
{
    public void Dispose() => Total.Dispose();
}
