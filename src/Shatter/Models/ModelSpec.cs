namespace Shatter.Models;

/// <summary>
/// What the registry knows about a model name before building it: its family (mlp, alexnet,
/// inception, wrn), the paper's initial learning rate for it, and one line for listings.
/// </summary>
public sealed record ModelSpec(string Name, string Family, double DefaultLearningRate, string Description);
