using Shatter.Corruptions;
using Shatter.Data;
using Shatter.Models;
using static TorchSharp.torch;

namespace Shatter.Training;

/// <summary>Text classification data: token ids in place of images (<see cref="PrepareText"/>).</summary>
public sealed partial class TrainingData
{
    /// <summary>The vocabulary size and padded length of a text dataset's token ids; null for images and tables.</summary>
    public TextInput? Text { get; private init; }

    /// <summary>
    /// Does the run train on texts? fortunes, csv:PATH with --text, or a folder:PATH tree of .txt files and no images —
    /// the one place where a folder's content decides text or images (<see cref="TextFolder.IsTextTree"/>).
    /// </summary>
    public static bool IsText(TrainConfig c) => TextSources.IsText(c.Dataset, c.TextOptions());

    /// <summary>
    /// A text dataset as a classification run sees it: int64 (N, T) token ids in TrainX/TrainEvalX/TestX (the same
    /// tensor for training batches and evaluation: no crop, flip or whitening applies), class-balanced subsets as for
    /// images, the token randomization of --inputs (<see cref="TokenNoise"/>) and the label noise of the training labels.
    /// InputShape is (1, 1, T); <see cref="Text"/> carries what the model needs.
    /// </summary>
    static TrainingData PrepareText(TrainConfig c, Device device)
    {
        if (c.AugmentCrop || c.AugmentFlip) throw new ShatterException($"--augment crops and flips images, and {c.Dataset} holds texts; drop it.");
        if (c.Crop is > 0) throw new ShatterException($"--crop cuts images, and {c.Dataset} holds texts; drop it (--max-tokens sets a text's length).");
        if (c.LabelNoiseMode == LabelNoiseMode.Instance)
            throw new ShatterException($"--label-noise-mode instance draws each example's flip rate from its image, and {c.Dataset} holds texts; use uniform, different, pair-flip or matrix.");
        if (!ModelRegistry.IsTextModel(c.Model) && !TorchScriptModel.IsTorchScript(c.Model))
            throw new ShatterException($"{c.Model} reads images, and {c.Dataset} holds texts; use a text model (text-transformer-DxW, text-lstm-LxH) or torchscript:PATH.");
        var mode = TextInputs.Of(c.Inputs, c.Dataset);
        using var dataset = TextSources.Load(c.Dataset, c.TextOptions(), c.DataDir);
        using var scope = NewDisposeScope();
        if (c.TrainSize > dataset.Train.Count)
            throw new ShatterException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"--train-size {c.TrainSize} is more than the {dataset.Train.Count:N0} training texts of {c.Dataset}; choose at most {dataset.Train.Count}, or 0 for all of them."));
        if (c.TestSize > dataset.Test.Count)
            throw new ShatterException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"--test-size {c.TestSize} is more than the {dataset.Test.Count:N0} test texts of {c.Dataset}; choose at most {dataset.Test.Count}, or 0 for all of them."));
        var trainIdx = Subsets.ClassBalancedIndices(dataset.Train.Labels, dataset.Classes, c.TrainSize, Seeds.Derive(c.Seed, "train-subset"), "training");
        var testIdx = Subsets.ClassBalancedIndices(dataset.Test.Labels, dataset.Classes, c.TestSize, Seeds.Derive(c.Seed, "test-subset"), "test");
        using var train = dataset.Train.Select(trainIdx);
        using var test = dataset.Test.Select(testIdx);
        using var noisy = TokenNoise.Apply(train, test, mode, Seeds.Derive(c.Seed, "inputs"), c.CorruptTestInputs);
        using var labels = LabelNoise.Apply(train.Labels, dataset.Classes, c.LabelNoise, c.LabelNoiseMode, Seeds.Derive(c.Seed, "labels"),
            NoiseRows(c, dataset.Name, dataset.Classes));
        var trainX = noisy.Train.Tokens.to(device).contiguous().MoveToOuterDisposeScope();
        return new TrainingData(
            trainX, trainX,
            labels.Labels.to(device).MoveToOuterDisposeScope(),
            noisy.Test.Tokens.to(device).contiguous().MoveToOuterDisposeScope(),
            test.Labels.to(device).MoveToOuterDisposeScope(),
            labels.Changed.alias().MoveToOuterDisposeScope(),
            noisy.Changed.alias().MoveToOuterDisposeScope(),
            labels.FractionChanged, noisy.FractionChanged, (1, 1, dataset.MaxTokens), dataset.Classes, dataset.Name, 0)
        {
            LabelTransition = labels.Transition,
            TrainIndices = trainIdx.data<long>().ToArray(),
            TestIndices = testIdx.data<long>().ToArray(),
            Text = new TextInput(dataset.Vocabulary.Size, dataset.MaxTokens),
        };
    }
}
