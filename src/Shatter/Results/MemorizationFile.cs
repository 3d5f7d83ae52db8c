using System.Text.Json;

namespace Shatter.Results;

/// <summary>memorization.json in a run folder: the search settings, the subsample and every measured point.</summary>
public sealed record MemorizationFile
{
    public const string FileName = "memorization.json";
    public double Radius { get; init; }
    public double Alpha { get; init; }
    public double Beta { get; init; }
    public int MaxIterations { get; init; }
    /// <summary>Examples in the seeded subsample of the training set the measures are taken on.</summary>
    public int Samples { get; init; }
    /// <summary>Whether inputs are pixels (the search stays in [0, 1]); false for Gaussian inputs.</summary>
    public bool PixelBox { get; init; }
    public IReadOnlyList<MemorizationPoint> Points { get; init; } = [];

    /// <summary>The file in <paramref name="runDir"/>, or null when there is none. A corrupt file is a one-sentence error.</summary>
    public static MemorizationFile? Read(string runDir)
    {
        var path = Path.Combine(runDir, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<MemorizationFile>(File.ReadAllText(path), Json.Options)
                ?? throw new JsonException("the file holds null");
        }
        catch (JsonException e)
        {
            throw new ShatterException($"{path} is not a memorization file ({e.Message.TrimEnd('.')}); delete it and train the run again to measure it.", e);
        }
    }
}
