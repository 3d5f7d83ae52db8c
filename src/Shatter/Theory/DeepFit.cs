namespace Shatter.Theory;

/// <summary>How the depth-k network fits the n points, and how far its outputs are from the two-layer network's.</summary>
public sealed record DeepFit(int Depth, long[] HiddenWidths, long NonzeroWeights, double? RelativeResidual, double FractionRounded, bool Exact, double? MaxDifferenceFromTwoLayer);
