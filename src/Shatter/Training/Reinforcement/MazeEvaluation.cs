namespace Shatter.Training.Reinforcement;

/// <summary>
/// A policy's score on a set of levels: episodes played, the share that reached the goal, the mean discounted return
/// from the start (γ^(length−1) on success, 0 otherwise) and the mean episode length (capped episodes count the cap).
/// </summary>
public sealed record MazeEvaluation(int Episodes, double SuccessRate, double MeanReturn, double MeanLength);
