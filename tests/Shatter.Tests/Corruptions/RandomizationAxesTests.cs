using Shatter.Corruptions;
using Shatter.Training;
using static TorchSharp.torch;

namespace Shatter.Tests.Corruptions;

/// <summary>
/// Label noise and input randomization are independent axes of the data a run trains on (through the production
/// path, <see cref="TrainingData.Prepare"/>): any label noise combines with any input mode, neither moves the other,
/// and neither touches the test labels.
/// </summary>
[Collection(Training.SerialTorchRandom.Name)]
public sealed class RandomizationAxesTests
{
    static TrainingData Data(double labelNoise, InputMode inputs) =>
        TrainingData.Prepare(new TrainConfig { TrainSize = 300, TestSize = 100, LabelNoise = labelNoise, Inputs = inputs, Seed = 9 }, CPU);

    [Fact]
    public void Every_label_noise_combines_with_every_input_mode_without_either_moving_the_other()
    {
        using var clean = Data(0, InputMode.True);
        var labelsAt = new Dictionary<double, TrainingData>();
        var inputsOf = new Dictionary<InputMode, TrainingData>();
        try
        {
            foreach (var p in new[] { 0.5, 1.0 }) labelsAt[p] = Data(p, InputMode.True);
            foreach (var mode in new[] { InputMode.Shuffled, InputMode.Random, InputMode.Gaussian }) inputsOf[mode] = Data(0, mode);
            foreach (var p in new[] { 0.5, 1.0 })
                foreach (var mode in new[] { InputMode.Shuffled, InputMode.Random, InputMode.Gaussian })
                {
                    using var both = Data(p, mode);
                    // the labels are those of p with true inputs, the inputs those of the mode with clean labels
                    Assert.True(Same.Tensors(labelsAt[p].TrainY, both.TrainY), $"labels moved with inputs={mode}, p={p}");
                    Assert.True(Same.Tensors(inputsOf[mode].TrainEvalX, both.TrainEvalX), $"inputs moved with p={p}, inputs={mode}");
                    Assert.True(Same.Tensors(inputsOf[mode].TestX, both.TestX));
                    // each axis did change what it randomizes
                    Assert.False(Same.Tensors(clean.TrainY, both.TrainY));
                    Assert.False(Same.Tensors(clean.TrainEvalX, both.TrainEvalX));
                    Assert.InRange(both.FractionLabelsChanged, p * 0.9 * 0.75, Math.Min(1, p * 0.9 * 1.25)); // p·(1 − 1/10) expected
                    Assert.True(both.FractionInputsChanged > 0.9);
                    // the test labels stay the true ones whatever is randomized
                    Assert.True(Same.Tensors(clean.TestY, both.TestY), $"test labels changed with p={p}, inputs={mode}");
                }
        }
        finally
        {
            foreach (var d in labelsAt.Values.Concat(inputsOf.Values)) d.Dispose();
        }
    }
}
