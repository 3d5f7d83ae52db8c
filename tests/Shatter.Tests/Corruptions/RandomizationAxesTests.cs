using Shatter.Corruptions;
using static TorchSharp.torch;

namespace Shatter.Tests.Corruptions;

/// <summary>Label noise and input randomization are independent axes: any of one combines with any of the other.</summary>
public sealed class RandomizationAxesTests
{
    [Fact]
    public void Every_label_noise_combines_with_every_input_mode_without_either_moving_the_other()
    {
        const long seed = 9;
        using var g = new Generator(1);
        using var train = rand([200, 1, 5, 5], generator: g);
        using var test = rand([50, 1, 5, 5], generator: g);
        using var labels = arange(200, dtype: ScalarType.Int64).remainder(10);
        using var testLabels = arange(50, dtype: ScalarType.Int64).remainder(10);
        using var testLabelsBefore = testLabels.clone();

        Tensor? firstInputs = null;
        foreach (var p in new[] { 0.0, 0.5, 1.0 })
            foreach (var labelMode in new[] { LabelNoiseMode.Uniform, LabelNoiseMode.Different })
            {
                using var noisy = LabelNoise.Apply(labels, 10, p, labelMode, Seeds.Derive(seed, "labels"));
                foreach (var inputMode in Enum.GetValues<InputMode>())
                {
                    using var inputs = InputNoise.Apply(train, test, new InputCorruption(inputMode), Seeds.Derive(seed, "inputs"));
                    // the labels do not depend on the input mode: redraw and compare
                    using var again = LabelNoise.Apply(labels, 10, p, labelMode, Seeds.Derive(seed, "labels"));
                    Assert.True(Same.Tensors(noisy.Labels, again.Labels));
                    Assert.Equal(train.shape, inputs.Train.shape);
                    if (inputMode == InputMode.Random)
                    {
                        // the inputs do not depend on the label noise: the same for every p and mode
                        if (firstInputs is null) firstInputs = inputs.Train.clone();
                        else Assert.True(Same.Tensors(firstInputs, inputs.Train));
                    }
                }
            }
        firstInputs?.Dispose();
        // neither randomization touches the test labels
        Assert.True(Same.Tensors(testLabels, testLabelsBefore));
    }
}
