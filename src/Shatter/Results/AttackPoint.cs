namespace Shatter.Results;

/// <summary>Accuracy of a run's final model on one set under an attack of size ε (pixel units, [0, 1]).</summary>
public sealed record AttackPoint(string Set, double Epsilon, string EpsilonText, double Accuracy, int Examples);
