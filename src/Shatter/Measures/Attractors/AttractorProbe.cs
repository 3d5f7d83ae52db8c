using System.Text.Json;
using Shatter.Training;
using Shatter.Training.Tasks;
using static TorchSharp.torch;

namespace Shatter.Measures.Attractors;

/// <summary>
/// At the end of an autoencoder's run (<see cref="AutoencoderTask"/>), the attractor measures of the trained map
/// (<see cref="AttractorMeasures"/>, default <see cref="AttractorOptions"/>, seeded by the run's seed) on its first
/// <see cref="MaxImages"/> training images, and for a one-image training set the identity-vs-constant test
/// (<see cref="IdentityCrisis"/>) on up to <see cref="MaxNewImages"/> test images, written into summary.json
/// (<see cref="TrainingContext.SummaryFields"/>; so into the results store with the run, and its exports). A callback
/// of the trainer that whoever runs one adds (the train command, the sweep's executors); it does nothing for other
/// tasks, uses its own generator, and its time is not training time, so the run learns exactly what it would without it.
/// </summary>
public sealed class AttractorProbe : ITrainCallback
{
    /// <summary>Training images measured (the first of the run's order): the power iteration costs 50 double backwards per chunk.</summary>
    public const int MaxImages = 256;
    /// <summary>New (test) images of the identity test.</summary>
    public const int MaxNewImages = 100;

    /// <summary>The summary fields this probe writes (snake_case; the identity ones only for a one-image training set).</summary>
    public static readonly IReadOnlyList<string> FieldNames =
    [
        "attractor_images", "fixed_point_share", "attractor_share", "recovered_share", "median_spectral_radius",
        "random_starts", "landed_share", "distinct_images_reached", "spurious_attractors",
        "identity_with_input", "identity_with_training", "identity_closer",
    ];

    public void OnRunEnd(TrainingContext run)
    {
        if (run.Task is not AutoencoderTask task) return;
        run.OffTheClock(() =>
        {
            foreach (var (key, value) in Measure(run.Model, task.TrainImages, task.TestImages, run.Config.Seed))
                run.SummaryFields[key] = JsonSerializer.SerializeToElement(value, Json.Options);
        });
    }

    /// <summary>The fields of a trained map on its training images (N, C, H, W) and test images (M, C, H, W), in <see cref="FieldNames"/> order.</summary>
    public static IReadOnlyList<(string Key, object Value)> Measure(nn.Module<Tensor, Tensor> model, Tensor train, Tensor test, long seed)
    {
        using var scope = NewDisposeScope();
        var images = train.narrow(0, 0, Math.Min(MaxImages, train.shape[0]));
        var report = AttractorMeasures.Measure(model, images, new AttractorOptions(Seed: Seeds.Derive(seed, "attractors")));
        var radii = report.SpectralRadius.Order().ToArray();
        var fields = new List<(string, object)>
        {
            ("attractor_images", report.Images), ("fixed_point_share", report.FixedPointShare), ("attractor_share", report.AttractorShare),
            ("recovered_share", report.RecoveredShare), ("median_spectral_radius", Median(radii)), ("random_starts", report.RandomStarts),
            ("landed_share", report.LandedShare), ("distinct_images_reached", report.DistinctImagesReached), ("spurious_attractors", report.ConvergedElsewhere),
        };
        if (train.shape[0] == 1 && test.shape[0] > 0)
        {
            var identity = IdentityCrisis.Test(model, train[0], test.narrow(0, 0, Math.Min(MaxNewImages, test.shape[0])));
            fields.Add(("identity_with_input", identity.WithInput));
            fields.Add(("identity_with_training", identity.WithTraining));
            fields.Add(("identity_closer", identity.Closer));
        }
        return fields;
    }

    static double Median(double[] sorted) => sorted.Length == 0 ? double.NaN
        : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}
