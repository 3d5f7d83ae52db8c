namespace Shatter.Results;

/// <summary>What <c>shatter rademacher</c> estimated: R̂ per training budget for one model, data set and size.</summary>
public sealed record RademacherResult(
    string Model, string Dataset, int TrainSize, int Draws, long Parameters, double LearningRate, int BatchSize, long Seed, double Delta,
    IReadOnlyList<RademacherPoint> Budgets, double Seconds);
