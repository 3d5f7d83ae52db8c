namespace Shatter.Results;

/// <summary>One training budget's estimate: R̂ over the draws and the bound it implies.</summary>
public sealed record RademacherPoint(int Epochs, double Mean, double StdDev, double Min, double Max, double[] PerDraw, double BoundGap, double MeanTrainAccuracy);
