namespace Shatter.Reporting.Analysis;

/// <summary>
/// Table 1 of the paper (CIFAR-10 train / test accuracy, %), as data (paper.md §4). Keyed by the model's
/// registry name and the row's setting: crop (random-crop augmentation) and weight decay on or off, or
/// random labels.
/// </summary>
public static class PaperTable1
{
    public sealed record Row(string Model, bool Crop, bool WeightDecay, bool RandomLabels, double Train, double Test);

    public static readonly IReadOnlyList<Row> Rows =
    [
        new("inception", true, true, false, 100.0, 89.05),
        new("inception", true, false, false, 100.0, 89.31),
        new("inception", false, true, false, 100.0, 86.03),
        new("inception", false, false, false, 100.0, 85.75),
        new("inception", false, false, true, 100.0, 9.78),
        new("inception-nobn", false, true, false, 100.0, 83.00),
        new("inception-nobn", false, false, false, 100.0, 82.00),
        new("inception-nobn", false, false, true, 100.0, 10.12),
        new("alexnet", true, true, false, 99.90, 81.22),
        new("alexnet", true, false, false, 99.82, 79.66),
        new("alexnet", false, true, false, 100.0, 77.36),
        new("alexnet", false, false, false, 100.0, 76.07),
        new("alexnet", false, false, true, 99.82, 9.86),
        new("mlp-3x512", false, true, false, 100.0, 53.35),
        new("mlp-3x512", false, false, false, 100.0, 52.39),
        new("mlp-3x512", false, false, true, 100.0, 10.48),
        new("mlp-1x512", false, true, false, 99.80, 50.39),
        new("mlp-1x512", false, false, false, 100.0, 50.51),
        new("mlp-1x512", false, false, true, 99.34, 10.61),
    ];

    /// <summary>The paper's row for a setting, or null where the paper has none (e.g. MLPs with crop).</summary>
    public static Row? Find(string model, bool crop, bool weightDecay, bool randomLabels) =>
        Rows.FirstOrDefault(r => r.Model == model && r.RandomLabels == randomLabels
            && (randomLabels || (r.Crop == crop && r.WeightDecay == weightDecay)));
}
