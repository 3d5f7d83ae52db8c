namespace Shatter.Results;

/// <summary>
/// One measurement of Arpit et al.'s memorization measures on a group of the run's subsample: <c>clean</c> (neither
/// label nor input corrupted), <c>corrupted</c> (label or input changed by the randomization) or <c>all</c>.
/// CriticalSampleRatio: the fraction with an adversarial point within the radius; LossSensitivity: mean ‖∂L/∂x‖₁.
/// NaN when the group is empty.
/// </summary>
public sealed record MemorizationPoint(int Epoch, string Group, int Examples, double CriticalSampleRatio, double LossSensitivity, double Seconds);
