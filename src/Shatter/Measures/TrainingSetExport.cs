using TorchSharp.PyBridge;
using Shatter.Training;
using static TorchSharp.torch;

namespace Shatter.Measures;

/// <summary>
/// A finished run's training set as the measures see it, for an independent implementation to recompute
/// them: a PyTorch file (a dict that <c>torch.load</c> opens) with <c>x</c>, float32 (N, C, H, W), the
/// training images as the model sees them at evaluation (cropped, randomized, whitened), and <c>y</c>,
/// int64 (N), the training labels as trained (after label noise). Rebuilt from run.json exactly as
/// <see cref="RunMeasures"/> rebuilds it.
/// </summary>
public static class TrainingSetExport
{
    /// <summary>Writes the training set of <paramref name="runDir"/> to <paramref name="path"/> (a synced temporary file, a rename, the folder synced); returns N.</summary>
    public static long Save(string runDir, string path)
    {
        var run = new RunFolder(runDir);
        if (!File.Exists(run.SummaryJson))
            throw new ShatterException($"{runDir} holds no finished run (no summary.json); finish it first, or leave it out.");
        var (config, _, _) = RunMeasures.ReadRunJson(run.RunJson);
        using var scope = NewDisposeScope();
        using var data = TrainingData.Prepare(config, CPU);
        AtomicFile.WriteFile(path, temp =>
        {
            using var stream = File.Create(temp);
            PyTorchPickler.PickleStateDict(stream, new Dictionary<string, Tensor> { ["x"] = data.TrainEvalX.contiguous(), ["y"] = data.TrainY.contiguous() });
        });
        return data.TrainY.shape[0];
    }
}
