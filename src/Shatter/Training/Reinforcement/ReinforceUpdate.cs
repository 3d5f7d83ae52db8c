namespace Shatter.Training.Reinforcement;

/// <summary>
/// What one <see cref="ReinforceLearner.Update"/> saw and did: the episodes collected, their success rate, mean
/// discounted return and mean length (on the training levels, with the policy before the step), and the loss's parts.
/// </summary>
public sealed record ReinforceUpdate(int Episodes, double SuccessRate, double MeanReturn, double MeanLength, double PolicyLoss, double ValueLoss, double Entropy);
