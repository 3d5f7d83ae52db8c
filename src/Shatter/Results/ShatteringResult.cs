namespace Shatter.Results;

/// <summary>What <c>shatter vc</c> found: how many of the labellings of N random points the model fitted.</summary>
public sealed record ShatteringResult(
    string Model, int N, int D, bool AllLabellings, int Labellings, int Fitted, long Parameters, int Restarts, int Steps,
    double LearningRate, long Seed, double Seconds)
{
    /// <summary>Every labelling of the N points was fitted: the points are shattered, VC dimension ≥ N.</summary>
    public bool Shattered => AllLabellings && Fitted == Labellings;
}
