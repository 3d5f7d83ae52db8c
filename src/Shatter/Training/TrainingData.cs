using Shatter.Corruptions;
using Shatter.Data;
using static TorchSharp.torch;

namespace Shatter.Training;

/// <summary>
/// The tensors one run trains and evaluates on, prepared once and held on the run's device:
/// load → class-balanced subsets → /255 → centre crop → input randomization → per-image whitening;
/// training labels get the label noise, test labels stay true.
/// With crop augmentation the training images keep their full size (Fashion-MNIST: padded by 2) and
/// the input randomization is applied before any crop; each batch is then randomly cropped, flipped
/// and whitened on the fly (<see cref="Augmentation"/>).
/// </summary>
public sealed partial class TrainingData : IDisposable
{
    /// <summary>Padding added around uncropped images so a random crop can shift them by up to ±2 pixels (as 32→28 does).</summary>
    public const int AugmentPadding = 2;

    TrainingData(Tensor trainX, Tensor trainEvalX, Tensor trainY, Tensor testX, Tensor testY, Tensor labelChanged, Tensor inputChanged,
        double labelsChanged, double inputsChanged, (int, int, int) inputShape, int classes, string datasetName, int crop)
    {
        TrainX = trainX; TrainEvalX = trainEvalX; TrainY = trainY; TestX = testX; TestY = testY;
        LabelChanged = labelChanged; InputChanged = inputChanged;
        FractionLabelsChanged = labelsChanged; FractionInputsChanged = inputsChanged;
        InputShape = inputShape; Classes = classes; DatasetName = datasetName; Crop = crop;
    }

    /// <summary>float (N, C, H', W'): what training batches are drawn from (already whitened unless augmenting).</summary>
    public Tensor TrainX { get; }
    /// <summary>float (N, C, h, w): the training images as the model sees them at evaluation (same tensor as TrainX without augmentation).</summary>
    public Tensor TrainEvalX { get; }
    /// <summary>int64 (N): training labels after label noise.</summary>
    public Tensor TrainY { get; }
    /// <summary>float (M, C, h, w): test images, whitened.</summary>
    public Tensor TestX { get; }
    /// <summary>int64 (M): the true test labels.</summary>
    public Tensor TestY { get; }
    /// <summary>bool (N), on the CPU: whose label differs from the true one.</summary>
    public Tensor LabelChanged { get; }
    /// <summary>bool (N), on the CPU: whose image the input randomization changed.</summary>
    public Tensor InputChanged { get; }
    public double FractionLabelsChanged { get; }
    public double FractionInputsChanged { get; }
    /// <summary>(C, h, w) the model receives.</summary>
    public (int Channels, int Height, int Width) InputShape { get; }
    public int Classes { get; }
    /// <summary>A regression table (one model output, float targets) rather than classes.</summary>
    public bool Regression { get; private init; }
    /// <summary>Realized label transition counts [true, noisy] of the training set (C×C).</summary>
    public long[,] LabelTransition { get; private init; } = new long[0, 0];
    public string DatasetName { get; }
    /// <summary>The centre-crop side in force (0: none): the config's, else the paper's 28 for 32×32 images.</summary>
    public int Crop { get; }
    /// <summary>
    /// For each training example (in the run's order, examples.csv's index), its row in the source's training split (an
    /// image of the official training file; a row of the table); likewise <see cref="TestIndices"/> for the test set.
    /// </summary>
    public long[] TrainIndices { get; private init; } = [];
    public long[] TestIndices { get; private init; } = [];
    public int TrainCount => (int)TrainY.shape[0];
    public int TestCount => (int)TestY.shape[0];

    public static TrainingData Prepare(TrainConfig c, Device device)
    {
        if (IsText(c)) return PrepareText(c, device);
        if (TabularDataset.IsTabular(c.Dataset)) return PrepareTable(c, device);
        using var dataset = DatasetCatalog.Load(c.Dataset, c.DataDir, new ImageFolderOptions(c.ImageSize));
        using var scope = NewDisposeScope();
        // A subset larger than the split is an error, not silently the whole split: the run would not be what was asked.
        if (c.TrainSize > dataset.Train.Count)
            throw new ShatterException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"--train-size {c.TrainSize} is more than the {dataset.Train.Count:N0} training images of {c.Dataset}; choose at most {dataset.Train.Count}, or 0 for all of them."));
        if (c.TestSize > dataset.Test.Count)
            throw new ShatterException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"--test-size {c.TestSize} is more than the {dataset.Test.Count:N0} test images of {c.Dataset}; choose at most {dataset.Test.Count}, or 0 for all of them."));
        var trainIdx = Subsets.ClassBalancedIndices(dataset.Train, dataset.Classes, c.TrainSize, Seeds.Derive(c.Seed, "train-subset"), "training");
        var testIdx = Subsets.ClassBalancedIndices(dataset.Test, dataset.Classes, c.TestSize, Seeds.Derive(c.Seed, "test-subset"), "test");
        using var train = dataset.Train.Select(trainIdx);
        using var test = dataset.Test.Select(testIdx);
        var (channels, height, width) = dataset.ImageShape;
        // paper: CIFAR's 32×32 → 28×28; the user's own images are taken as given
        int crop = c.Crop ?? (DatasetCatalog.IsUserSource(c.Dataset) ? 0 : Preprocessing.DefaultCrop(height, width));
        if (crop > 0 && (crop > height || crop > width))
            throw new ShatterException($"--crop {crop} is larger than the {height}×{width} images of {c.Dataset}; choose a crop of at most {Math.Min(height, width)}, or 0 for none.");
        int side = crop > 0 ? crop : height;

        var corruption = new InputCorruption(c.Inputs, c.PermutationUnit, c.GaussianStatistics, c.CorruptTestInputs);
        var images = PrepareImages(train.Images, test.Images, crop, c.Whiten, c.AugmentCrop, corruption, Seeds.Derive(c.Seed, "inputs"));
        var (trainX, trainEvalX, testX) = (images.TrainBatches, images.TrainEval, images.Test);
        var inputChanged = images.Changed;
        double inputsChanged = images.FractionChanged;

        using var labels = LabelNoise.Apply(train.Labels, dataset.Classes, c.LabelNoise, c.LabelNoiseMode, Seeds.Derive(c.Seed, "labels"),
            NoiseRows(c, dataset.Name, dataset.Classes), c.LabelNoiseMode == LabelNoiseMode.Instance ? Preprocessing.ToUnitFloat(train.Images) : null);
        var trainXd = trainX.to(device).contiguous();
        var result = new TrainingData(
            trainXd.MoveToOuterDisposeScope(),
            (ReferenceEquals(trainEvalX, trainX) ? trainXd : trainEvalX.to(device).contiguous()).MoveToOuterDisposeScope(),
            labels.Labels.to(device).MoveToOuterDisposeScope(),
            testX.to(device).contiguous().MoveToOuterDisposeScope(),
            test.Labels.to(device).MoveToOuterDisposeScope(),
            labels.Changed.alias().MoveToOuterDisposeScope(),
            inputChanged.MoveToOuterDisposeScope(),
            labels.FractionChanged, inputsChanged, (channels, side, side), dataset.Classes, dataset.Name, crop)
        {
            LabelTransition = labels.Transition,
            TrainIndices = trainIdx.data<long>().ToArray(),
            TestIndices = testIdx.data<long>().ToArray(),
        };
        return result;
    }

    /// <summary>
    /// The one image pipeline of every run (paper, Appendix A, plus the input randomizations), on uint8 (N, C, H, W):
    /// /255 → centre crop → input randomization → per-image whitening. With crop augmentation the full images are
    /// randomized first and cropped after (centrally for evaluation and the test set, randomly per batch by
    /// <see cref="Augmentation"/>, which whitens each batch after cropping and flipping), so a random crop moves over
    /// randomized pixels the way it moves over real ones. Returns tensors owned by the caller's dispose scope:
    /// <c>TrainBatches</c> what batches are drawn from (whitened unless augmenting; padded by <see cref="AugmentPadding"/>
    /// when augmenting uncropped images), <c>TrainEval</c> the training images as evaluated (the same tensor as
    /// TrainBatches without augmentation), <c>Test</c>, and the bool (N) mask of training images the randomization changed.
    /// </summary>
    public static (Tensor TrainBatches, Tensor TrainEval, Tensor Test, Tensor Changed, double FractionChanged) PrepareImages(
        Tensor trainImages, Tensor testImages, int crop, bool whiten, bool augmentCrop, InputCorruption corruption, long inputSeed)
    {
        var trainFull = Preprocessing.ToUnitFloat(trainImages);
        var testFull = Preprocessing.ToUnitFloat(testImages);
        Tensor Centre(Tensor x) => crop > 0 ? Preprocessing.CenterCrop(x, crop).contiguous() : x;
        Tensor Finish(Tensor x) => whiten ? Preprocessing.PerImageStandardization(x) : x.contiguous();
        using var noisy = augmentCrop
            ? InputNoise.Apply(trainFull, testFull, corruption, inputSeed)
            : InputNoise.Apply(Centre(trainFull), Centre(testFull), corruption, inputSeed);
        var test = Finish(augmentCrop ? Centre(noisy.Test) : noisy.Test);
        var trainEval = Finish(augmentCrop ? Centre(noisy.Train) : noisy.Train);
        var trainBatches = !augmentCrop ? trainEval
            : crop > 0 ? noisy.Train.alias()
            : nn.functional.pad(noisy.Train, [AugmentPadding, AugmentPadding, AugmentPadding, AugmentPadding]);
        return (trainBatches, trainEval, test, noisy.Changed.alias(), noisy.FractionChanged);
    }
    /// <summary>Share of a table's rows used for training when --train-size is 0 (the rest, or --test-size of it, is the test set).</summary>
    public const double TableTrainShare = 0.8;

    /// <summary>
    /// A regression table (house-prices, csv:PATH): rows in a seeded order split into training and test rows;
    /// features and targets standardized with the training rows' mean and standard deviation (so the loss is
    /// in units of the target's variance); label noise P shuffles a fraction P of the training targets among
    /// themselves; random or gaussian inputs replace the features by normal draws of each column's mean and
    /// variance (the test set too unless --clean-test-inputs). Rows enter models as (N, 1, 1, d).
    /// </summary>
    static TrainingData PrepareTable(TrainConfig c, Device device)
    {
        if (c.AugmentCrop || c.AugmentFlip) throw new ShatterException($"--augment applies to images, not to the table {c.Dataset}; drop it.");
        if (c.LabelNoiseMode != LabelNoiseMode.Uniform)
            throw new ShatterException($"a regression table's --label-noise P shuffles a fraction P of its targets; --label-noise-mode {LabelNoise.Name(c.LabelNoiseMode)} applies to classes only.");
        if (c.Inputs == InputMode.Shuffled) throw new ShatterException("--inputs shuffled permutes pixels; a table takes --inputs random (or gaussian): normal draws per feature column.");
        TextInputs.RefuseForImages(c.Inputs, c.Dataset);
        var table = TabularDataset.Load(c.Dataset, c.Target, c.DataDir);
        var order = Enumerable.Range(0, table.Rows).ToArray();
        new Random(unchecked((int)Seeds.Derive(c.Seed, "table-split"))).Shuffle(order);
        int trainCount = c.TrainSize > 0 ? c.TrainSize : (int)Math.Round(TableTrainShare * table.Rows);
        if (trainCount >= table.Rows) throw new ShatterException($"--train-size {trainCount} leaves no test rows of the {table.Rows} in {c.Dataset}; choose at most {table.Rows - 1}.");
        int testCount = c.TestSize > 0 ? Math.Min(c.TestSize, table.Rows - trainCount) : table.Rows - trainCount;
        var trainRows = order.Take(trainCount).ToArray();
        var testRows = order.Skip(trainCount).Take(testCount).ToArray();
        double[][] trainX = [.. trainRows.Select(r => table.X[r])], testX = [.. testRows.Select(r => table.X[r])];
        double[] trueY = [.. trainRows.Select(r => table.Y[r])], testY = [.. testRows.Select(r => table.Y[r])];
        var (trainY, changed) = c.TargetNoiseMode == TargetNoiseMode.Gaussian
            ? TargetNoise.GaussianFraction(trueY, c.LabelNoise, Seeds.Derive(c.Seed, "labels"))
            : TargetNoise.Shuffle(trueY, c.LabelNoise, Seeds.Derive(c.Seed, "labels"));
        bool randomInputs = c.Inputs is InputMode.Random or InputMode.Gaussian;
        if (randomInputs)
        {
            trainX = TargetNoise.RandomInputs(trainX, Seeds.Derive(c.Seed, "inputs"));
            if (c.CorruptTestInputs) testX = TargetNoise.RandomInputs(testX, Seeds.Derive(c.Seed, "test-inputs"));
        }
        int d = table.Features.Count;
        var (mean, std) = (new double[d], new double[d]);
        for (int j = 0; j < d; j++)
        {
            mean[j] = trainX.Average(r => r[j]);
            std[j] = Math.Sqrt(trainX.Average(r => (r[j] - mean[j]) * (r[j] - mean[j])));
            if (std[j] == 0) std[j] = 1;
        }
        double yMean = trainY.Average(), yStd = Math.Sqrt(trainY.Average(v => (v - yMean) * (v - yMean)));
        if (yStd == 0)
        {
            // every training target is the same: R² is undefined, so are the rules that compare it
            if (c.UntilFit || c.PlateauEpochsResolved > 0)
                throw new ShatterException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"every training target of {table.Name} is {yMean:G6}, so its R² is undefined and {(c.UntilFit ? "--until-fit" : "--plateau")} (which compares it) cannot run; drop {(c.UntilFit ? "--until-fit" : "--plateau")}, or predict a column that varies."));
            yStd = 1;
        }
        Tensor Features(double[][] rows) => tensor(rows.SelectMany(r => r.Select((v, j) => (float)((v - mean[j]) / std[j]))).ToArray(), [rows.Length, 1, 1, d]).to(device);
        Tensor Targets(double[] ys) => tensor(ys.Select(v => (float)((v - yMean) / yStd)).ToArray(), [ys.Length]).to(device);
        var x = Features(trainX);
        int n = trainRows.Length;
        return new TrainingData(x, x, Targets(trainY), Features(testX), Targets(testY), tensor(changed), tensor(Enumerable.Repeat(randomInputs, n).ToArray()),
            n == 0 ? 0 : changed.Count(b => b) / (double)n, randomInputs ? 1 : 0, (1, 1, d), 1, table.Name, 0)
        {
            Regression = true,
            TrainIndices = [.. trainRows.Select(r => (long)r)],
            TestIndices = [.. testRows.Select(r => (long)r)],
        };
    }

    /// <summary>The transition rows of the asymmetric and matrix modes (null for the others, which need none).</summary>
    internal static double[,]? NoiseRows(TrainConfig c, string dataset, int classes) => c.LabelNoiseMode switch
    {
        LabelNoiseMode.Asymmetric => ConfusableClasses.Rows(dataset, classes),
        LabelNoiseMode.Matrix => TransitionFile.Read(c.Transition!, classes),
        _ => null,
    };


    public void Dispose()
    {
        if (!ReferenceEquals(TrainEvalX, TrainX)) TrainEvalX.Dispose();
        TrainX.Dispose(); TrainY.Dispose(); TestX.Dispose(); TestY.Dispose(); LabelChanged.Dispose(); InputChanged.Dispose();
    }
}
