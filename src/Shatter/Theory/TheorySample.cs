using Shatter.Corruptions;
using Shatter.Data;
using static TorchSharp.torch;

namespace Shatter.Theory;

/// <summary>
/// A dataset as the theory experiments use it: images flattened to (N, C·H·W) float32 in [0, 1]
/// (raw pixels, no crop, no whitening), a class-balanced training subset (size 0: all of it) whose
/// labels may be corrupted, and a test subset with true labels. Owns its tensors.
/// </summary>
public sealed class TheorySample : IDisposable
{
    TheorySample(string dataset, Tensor trainIndices, Tensor trainX, Tensor trainY, Tensor trueTrainY, Tensor testX, Tensor testY, int classes, double noise, double fractionChanged, (int, int, int) imageShape)
    {
        ImageShape = imageShape;
        Dataset = dataset;
        TrainIndices = trainIndices;
        TrainX = trainX;
        TrainY = trainY;
        TrueTrainY = trueTrainY;
        TestX = testX;
        TestY = testY;
        Classes = classes;
        LabelNoise = noise;
        FractionChanged = fractionChanged;
    }

    public string Dataset { get; }
    /// <summary>(C, H, W) of one image, for features that need the image layout.</summary>
    public (int Channels, int Height, int Width) ImageShape { get; }
    /// <summary>int64 (n): the chosen rows of the dataset's training split, ascending.</summary>
    public Tensor TrainIndices { get; }
    /// <summary>float32 (n, d) in [0, 1].</summary>
    public Tensor TrainX { get; }
    /// <summary>int64 (n): the labels fitted (after label noise).</summary>
    public Tensor TrainY { get; }
    /// <summary>int64 (n): the true labels.</summary>
    public Tensor TrueTrainY { get; }
    /// <summary>float32 (m, d) in [0, 1].</summary>
    public Tensor TestX { get; }
    /// <summary>int64 (m), true labels.</summary>
    public Tensor TestY { get; }
    public int Classes { get; }
    public double LabelNoise { get; }
    public double FractionChanged { get; }
    public int N => (int)TrainX.shape[0];
    public int D => (int)TrainX.shape[1];

    /// <summary>
    /// Loads <paramref name="dataset"/>, takes a class-balanced subset of <paramref name="trainSize"/>
    /// training and <paramref name="testSize"/> test images (0: all) chosen with seeds derived from
    /// <paramref name="seed"/>, and redraws each training label with probability <paramref name="labelNoise"/>
    /// (the paper's uniform redraw).
    /// </summary>
    public static TheorySample Load(string dataset, string? dataDir, int trainSize, int testSize, double labelNoise, long seed)
    {
        using var data = DatasetCatalog.Load(dataset, dataDir);
        if (trainSize > data.Train.Count)
            throw new ShatterException($"the training size {trainSize} is larger than {data.Name}'s {data.Train.Count} training images; choose at most {data.Train.Count}.");
        if (testSize > data.Test.Count)
            throw new ShatterException($"the test size {testSize} is larger than {data.Name}'s {data.Test.Count} test images; choose at most {data.Test.Count}.");
        using var scope = NewDisposeScope();
        var trainIdx = Subsets.ClassBalancedIndices(data.Train, data.Classes, trainSize, Seeds.Derive(seed, "subset"));
        var testIdx = Subsets.ClassBalancedIndices(data.Test, data.Classes, testSize, Seeds.Derive(seed, "test-subset"), "test");
        var trainX = Flatten(data.Train.Images.index_select(0, trainIdx));
        var testX = Flatten(data.Test.Images.index_select(0, testIdx));
        var trueY = data.Train.Labels.index_select(0, trainIdx);
        var testY = data.Test.Labels.index_select(0, testIdx);
        using var noisy = Corruptions.LabelNoise.Apply(trueY, data.Classes, labelNoise, LabelNoiseMode.Uniform, Seeds.Derive(seed, "label-noise"));
        var trainY = noisy.Labels.clone();
        return new TheorySample(data.Name, trainIdx.MoveToOuterDisposeScope(), trainX.MoveToOuterDisposeScope(), trainY.MoveToOuterDisposeScope(),
            trueY.MoveToOuterDisposeScope(), testX.MoveToOuterDisposeScope(), testY.MoveToOuterDisposeScope(), data.Classes, labelNoise, noisy.FractionChanged, data.ImageShape);
    }

    /// <summary>uint8 (N, C, H, W) → float32 (N, C·H·W) in [0, 1].</summary>
    public static Tensor Flatten(Tensor images)
    {
        using var unit = Preprocessing.ToUnitFloat(images);
        return unit.reshape(images.shape[0], -1).contiguous();
    }

    /// <summary>The same sample with other features (for example random-convolution features); takes ownership of both.</summary>
    public TheorySample WithFeatures(Tensor trainX, Tensor testX)
    {
        TrainX.Dispose();
        TestX.Dispose();
        return new TheorySample(Dataset, TrainIndices, trainX, TrainY, TrueTrainY, testX, TestY, Classes, LabelNoise, FractionChanged, ImageShape);
    }

    public void Dispose()
    {
        TrainIndices.Dispose();
        TrainX.Dispose();
        TrainY.Dispose();
        TrueTrainY.Dispose();
        TestX.Dispose();
        TestY.Dispose();
    }
}
