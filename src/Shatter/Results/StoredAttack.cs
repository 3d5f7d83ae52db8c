namespace Shatter.Results;

/// <summary>A stored attack point: run, method and steps, set, ε, accuracy under attack.</summary>
public sealed record StoredAttack(string Hash, string Method, int Steps, string Set, double Epsilon, string EpsilonText, double Accuracy, int Examples);
