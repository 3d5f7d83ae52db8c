using System.Globalization;
using Shatter.Corruptions;
using Shatter.Training;

namespace Shatter.Reporting.Analysis;

/// <summary>
/// Every way a set of run configurations departs from the paper's setup (paper.md §2): dataset and sizes,
/// models, learning rate and schedule, momentum, batch size, stopping rule, and the choices the paper leaves
/// open. One sentence each, for the report's header.
/// </summary>
public static class Departures
{
    static readonly string[] PaperModels = ["inception", "inception-nobn", "alexnet", "mlp-1x512", "mlp-3x512"];

    public static IReadOnlyList<string> Of(IReadOnlyList<TrainConfig> configs)
    {
        var list = new List<string>();
        if (configs.Count == 0) return list;
        string Values<T>(Func<TrainConfig, T> f) => string.Join(", ", configs.Select(f).Distinct().Select(v => CsvTable.Format(v)));
        void Check(Func<TrainConfig, bool> departs, string sentence)
        {
            if (configs.Any(departs)) list.Add(sentence);
        }
        Check(c => c.Dataset != "cifar10", $"dataset {Values(c => c.Dataset)} instead of CIFAR-10.");
        Check(c => c.TrainSize != 0 && c.TrainSize != 50_000, $"{Values(c => c.TrainSize == 0 ? "all" : c.TrainSize.ToString("N0", CultureInfo.InvariantCulture))} training images instead of 50,000.");
        Check(c => c.TestSize != 0 && c.TestSize != 10_000, $"{Values(c => c.TestSize == 0 ? "all" : c.TestSize.ToString("N0", CultureInfo.InvariantCulture))} test images instead of 10,000.");
        Check(c => !PaperModels.Contains(c.Model), $"models outside the paper's: {string.Join(", ", configs.Select(c => c.Model).Distinct().Where(m => !PaperModels.Contains(m)))}.");
        Check(c => c.LearningRate is { } lr && lr != PaperLearningRate(c.Model),
            $"learning rate {Values(c => c.LearningRate?.ToString(CultureInfo.InvariantCulture) ?? "default")} (paper: 0.1 Inception, 0.01 others).");
        // Inception without batch norm: the paper does not give its initializers; with PyTorch's defaults the
        // network's output is constant and it stays at chance, so Shatter initializes it (and only it) otherwise
        Check(c => c.Model == "inception-nobn",
            "inception-nobn: convolutions start from He initialization (normal, variance 2/fan_in) with zero biases instead of PyTorch's defaults, with which its output does not depend on the image and it stays at chance (the paper does not state its initializers); same layers and parameters (1,649,402).");
        Check(c => c.Model == "inception-nobn" && (c.LearningRate ?? Models.ModelRegistry.NoBatchNormLearningRate) != PaperLearningRate(c.Model),
            $"inception-nobn trains at learning rate {string.Join(", ", configs.Where(c => c.Model == "inception-nobn").Select(c => (c.LearningRate ?? Models.ModelRegistry.NoBatchNormLearningRate).ToString(CultureInfo.InvariantCulture)).Distinct())} instead of the paper's 0.1 for Inception: without batch norm it diverges at 0.1 and falls back to chance at 0.02 in its first epochs.");
        // the decay a run applies: none when it asked for decay 1 (a constant rate), else its factor per DecayEvery images
        var decaying = configs.Where(c => c.Schedule == LearningRateSchedule.Paper && c.LearningRateDecay < 1).ToList();
        Check(c => c.LearningRateDecay >= 1, "constant learning rate (no decay; paper: ×0.95 per 50,000-image epoch).");
        Check(c => c.Schedule == LearningRateSchedule.Paper && c.LearningRateDecay < 1 && (c.LearningRateDecay != 0.95 || c.DecayEvery != 50_000),
            $"learning-rate schedule {string.Join(", ", decaying.Select(c => $"×{CsvTable.Format(c.LearningRateDecay)} every {c.DecayEvery.ToString("N0", CultureInfo.InvariantCulture)} images").Distinct())} (paper: ×0.95 per 50,000-image epoch).");
        Check(c => c.Schedule == LearningRateSchedule.Constant && c.LearningRateDecay < 1,
            $"until-fit runs keep their initial learning rate (Shatter's default for them: the paper's decay, never stopping, can leave a run a few examples short of fitting for hundreds of epochs; docs/schedules.md).");
        Check(c => c.UntilFit && c.PlateauEpochsResolved > 0,
            $"until-fit runs cut their learning rate 10× after {string.Join(", ", configs.Where(c => c.UntilFit).Select(c => c.PlateauEpochsResolved).Distinct())} epochs without a new best training accuracy, at most twice, before a run counts as stalled (reduce on plateau; the paper trains for a fixed budget and never needed it; docs/schedules.md).");
        Check(c => c.Momentum != 0.9, $"momentum {Values(c => c.Momentum)} (paper: 0.9).");
        Check(c => c.BatchSize != 128, $"batch size {Values(c => c.BatchSize)} (the paper's reproductions: 128).");
        Check(c => c.UntilFit && !Models.ModelRegistry.IsAutoencoder(c.Model), $"runs stop once training accuracy reaches {Values(c => (c.FitTarget * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%")} or after {Values(c => c.Epochs)} epochs.");
        Check(c => !c.UntilFit, $"runs train for a fixed {Values(c => c.Epochs)} epochs.");
        // Trainer.Screen: the fit is still the model's accuracy over the whole training set; what changes is the curve before it
        Check(c => c.UntilFit && !Data.TabularDataset.IsTabular(c.Dataset) && !Models.ModelRegistry.IsAutoencoder(c.Model),
            "until-fit runs measure the whole training set only at epochs whose end model might meet the fit target (a probe of the images most likely still wrong decides); the other epochs' training loss and accuracy, and the per-example fit record, come from the epoch's own forward passes (each image by the model of its step), so the fit epoch is exact and the curve before it is a running one.");
        Check(c => c.MaxSteps > 0, $"runs stop after at most {Values(c => c.MaxSteps)} steps.");
        Check(c => c.FitTarget < 1, $"'fitted' means training accuracy ≥ {Values(c => c.FitTarget)}, not 100%.");
        Check(c => c.WeightDecay > 0, $"weight decay {Values(c => c.WeightDecay)} where it is on (the paper does not state its coefficient).");
        Check(c => c.Dropout > 0, $"dropout {Values(c => c.Dropout)}.");
        Check(c => c.AugmentFlip, "random horizontal flips (Table 1 uses random crops only).");
        Check(c => c.Dataset.StartsWith("cifar", StringComparison.Ordinal) && c.Crop is { } k && k != 28, $"centre crop {Values(c => c.Crop)} (paper: 28).");
        Check(c => !c.Whiten, "no per-image whitening (paper: on).");
        Check(c => c.LabelNoiseMode == LabelNoiseMode.Different, "corrupted labels drawn from the other classes only (paper: uniform over all classes).");
        Check(c => c.LabelNoiseMode is not (LabelNoiseMode.Uniform or LabelNoiseMode.Different),
            $"structured label noise beyond the paper ({string.Join(", ", configs.Select(c => c.LabelNoiseMode).Where(m => m is not (LabelNoiseMode.Uniform or LabelNoiseMode.Different)).Distinct().Select(LabelNoise.Name))}; paper: uniform over all classes).");
        Check(c => c.TargetNoiseMode == TargetNoiseMode.Gaussian && c.LabelNoise > 0,
            "regression targets replaced by Gaussian draws of the targets' mean and variance (beyond the paper, which randomizes class labels only).");
        Check(c => Models.ModelRegistry.IsAutoencoder(c.Model),
            $"autoencoders ({string.Join(", ", configs.Select(c => c.Model).Where(Models.ModelRegistry.IsAutoencoder).Distinct())}) trained on reconstruction until the training MSE is at most {Values(c => c.ReconstructionTarget)} (beyond the paper's classifiers; issue 21).");
        Check(c => c.Inputs != InputMode.True && !c.CorruptTestInputs, "randomized inputs on the training set only.");
        Check(c => c.Inputs is InputMode.Shuffled or InputMode.Random && c.PermutationUnit != PermutationUnit.Pixel, "permutations move single values, not whole pixels.");
        Check(c => c.Inputs == InputMode.Gaussian && c.GaussianStatistics != GaussianStatistics.Global, "the Gaussian matches per-channel statistics.");
        // semi-supervised runs (issue 21; SemiSupervisedTask)
        Check(c => c.Labelled > 0, $"semi-supervised runs (beyond the paper): {Values(c => c.Labelled)} training images keep their labels and the label noise corrupts those only; the rest are unlabelled ({Values(c => c.SemiMethod)}).");
        Check(c => c.Labelled > 0 && c.SemiMethod == "fixmatch",
            "FixMatch's strong view is Cutout and Gaussian noise (σ = 0.1) on its weak shift-and-flip view, where Sohn et al. use RandAugment or CTAugment before Cutout; the labelled, weak and strong batches go through the network in one pass, without the reference's interleaving for batch norm.");
        Check(c => c.Labelled > 0 && c.SemiMethod == "pseudo-label",
            "Lee's pseudo-label weight rises from 0 at a tenth of the run's epochs to 3 at three fifths (Lee: T₁ = 100, T₂ = 600 epochs), with the unlabelled batch μ times the labelled one in the same update.");
        Check(c => c.Dataset == Training.Tasks.MazeTask.DatasetName,
            "maze runs (issue 21): an MLP actor-critic trained by REINFORCE with a learned baseline and per-update standardized advantages, with the trainer's SGD (momentum), where Cobbe et al. (2019) train with PPO and Adam; small 7×7 grid mazes instead of the anchors' larger environments; success measured with sampled actions; the score columns hold success rates, the loss columns the negative mean discounted return.");
        Check(c => c.Dataset == Training.Tasks.MazeTask.DatasetName && c.Maze == Environments.MazeRandomization.RandomGoal,
            "random goal: the goal is hidden and placed at a random cell of each level, where Zhang, Vinyals, Munos and Bengio (2018) randomize each maze's rewards by its seed; both make the reward a function of the level's identity only (docs/beyond-supervised.md).");
        var seeds = configs.Select(c => c.Seed).Distinct().Count();
        if (seeds == 1) list.Add("one seed per configuration, so no spread is shown.");
        return list;
    }

    /// <summary>The paper's learning rate for a model: 0.1 for Inception, 0.01 for the others.</summary>
    public static double PaperLearningRate(string model) => model.StartsWith("inception", StringComparison.Ordinal) ? 0.1 : 0.01;
}
