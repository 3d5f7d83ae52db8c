using System.Globalization;
using System.Text.Json;
using Shatter.Corruptions;
using Shatter.Models;
using Shatter.Tests.Data;
using Shatter.Training;
using Shatter.Training.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Tests.Training.Tasks;

/// <summary>
/// The semi-supervised task (issue 21) through the real trainer on the real Fashion-MNIST: the labelled part and its
/// noise, the measures of summary.json checked against the final weights by code of the test's own, FixMatch's
/// confidence threshold, resumption bit for bit, and the refusals. Serial: runs are compared bit for bit and libtorch's
/// default generator (initialisation, dropout) is process-wide.
/// </summary>
[Collection(SerialTorchRandom.Name)]
public sealed class SemiSupervisedTaskTests
{
    /// <summary>200 training images of which 40 keep their labels (4 steps of 10 per epoch), 100 test images.</summary>
    static TrainConfig Small(string method, int epochs = 6) => new()
    {
        Model = "mlp-1x64", TrainSize = 200, TestSize = 100, Labelled = 40, SemiMethod = method, BatchSize = 10, UnlabelledRatio = 2,
        Epochs = epochs, LearningRateDecay = 1, Threads = 1,
    };

    static string[] WithoutSeconds(string csv) => File.ReadAllLines(csv).Select(l => l[..l.LastIndexOf(',')]).ToArray();

    static Dictionary<string, double?> Measures(string run)
    {
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json")));
        return summary.RootElement.GetProperty("measures").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Null ? (double?)null : p.Value.GetDouble());
    }

    /// <summary>labelled.csv's rows: training-set index, label trained on, true label, changed, first fit epoch.</summary>
    static (long Index, long Label, long True, bool Changed, int FirstFit)[] Labelled(string run) =>
        [.. File.ReadAllLines(Path.Combine(run, SemiSupervisedTask.LabelledCsv)).Skip(1).Select(l => l.Split(','))
            .Select(c => (long.Parse(c[0], CultureInfo.InvariantCulture), long.Parse(c[1], CultureInfo.InvariantCulture), long.Parse(c[2], CultureInfo.InvariantCulture), c[3] == "1", int.Parse(c[4], CultureInfo.InvariantCulture)))];

    [Theory]
    [InlineData(SemiSupervisedTask.FixMatch)]
    [InlineData(SemiSupervisedTask.PseudoLabel)]
    public void A_run_stopped_inside_an_epoch_resumes_bit_for_bit(string method)
    {
        using var folder = new TempFolder();
        var config = Small(method) with { Dropout = 0.2, LabelNoise = 0.5 };
        var whole = Trainer.Run(config, folder["whole"]);
        Assert.Equal(("semi-supervised", "epochs", 6, 24L), (whole.Task, whole.StopReason, whole.Epochs, whole.Steps));
        Assert.Equal(40 * 6 / whole.WallSeconds, whole.TrainSamplesPerSecond, 6);   // the clock counts labelled examples only

        var stopped = Trainer.Run(config with { MaxSteps = 10 }, folder["cut"]);       // inside epoch 3
        Assert.Equal(10, stopped.Steps);
        var checkpoint = Directory.GetDirectories(folder["cut"], "checkpoint-*").Single();
        Assert.True(File.Exists(Path.Combine(checkpoint, "augment-generator.bin")) && File.Exists(Path.Combine(checkpoint, "dropout-generator.bin")));
        using (var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(checkpoint, "state.json"))))
        {
            Assert.Equal(2, state.RootElement.GetProperty("epoch").GetInt32());
            Assert.Equal(40, state.RootElement.GetProperty("task_state").GetProperty("first_fit").GetArrayLength());
        }
        var resumed = Trainer.Run(config, folder["cut"], resume: true);
        Assert.Equal(WithoutSeconds(Path.Combine(folder["whole"], "epochs.csv")), WithoutSeconds(Path.Combine(folder["cut"], "epochs.csv")));
        Assert.Equal(File.ReadAllLines(Path.Combine(folder["whole"], "steps.csv")), File.ReadAllLines(Path.Combine(folder["cut"], "steps.csv")));
        Assert.Equal(File.ReadAllText(Path.Combine(folder["whole"], "labelled.csv")), File.ReadAllText(Path.Combine(folder["cut"], "labelled.csv")));
        Assert.Equal(Measures(folder["whole"]), Measures(folder["cut"]));
        Assert.Equal(whole.FinalTrainLoss, resumed.FinalTrainLoss);
    }

    [Fact]
    public void The_other_methods_train_on_the_unlabelled_part_and_supervised_does_not()
    {
        using var folder = new TempFolder();
        var supervised = Trainer.Run(Small(SemiSupervisedTask.Supervised, epochs: 2), folder["supervised"]);
        var pseudo = Trainer.Run(Small(SemiSupervisedTask.PseudoLabel, epochs: 2), folder["pseudo"]);
        var fixmatch = Trainer.Run(Small(SemiSupervisedTask.FixMatch, epochs: 2), folder["fixmatch"]);
        // Lee's weight is 0 before a tenth of the epochs (0.2 here): the first step's loss is the labelled part's alone,
        // from the same initial model and the same first batch; FixMatch's first batch is augmented, so it differs
        double First(string run) => double.Parse(File.ReadAllLines(Path.Combine(folder[run], "steps.csv"))[1].Split(',')[3], CultureInfo.InvariantCulture);
        Assert.Equal(First("supervised"), First("pseudo"), 1e-5);                  // one forward pass of a larger batch: rounding only
        Assert.True(Math.Abs(First("supervised") - First("fixmatch")) > 1e-3, $"{First("supervised")} and {First("fixmatch")}");
        // after Lee's ramp begins the runs part
        Assert.NotEqual(supervised.FinalTrainLoss, pseudo.FinalTrainLoss);
        Assert.Equal((0.0, 1.0), (Measures(folder["supervised"])["mask_rate"]!.Value, Measures(folder["pseudo"])["mask_rate"]!.Value));
        Assert.Null(Measures(folder["supervised"])["pseudo_label_accuracy"]);
        Assert.Equal(Measures(folder["fixmatch"])["confident_rate"], Measures(folder["fixmatch"])["mask_rate"]);
        Assert.Equal(fixmatch.FinalTrainAccuracy, Measures(folder["fixmatch"])["labelled_fit"]!.Value);
    }

    [Fact]
    public void Label_noise_corrupts_the_labelled_part_only_and_memorized_counts_wrong_labels_predicted()
    {
        using var folder = new TempFolder();
        // every labelled label moved to another class; 60 epochs at a high rate fit most of the 40 wrong labels
        var config = Small(SemiSupervisedTask.Supervised, epochs: 60) with { LabelNoise = 1, LabelNoiseMode = LabelNoiseMode.Different, LearningRate = 0.05 };
        var summary = Trainer.Run(config, folder["run"]);
        var rows = Labelled(folder["run"]);
        Assert.Equal(40, rows.Length);
        Assert.All(rows, r => Assert.True(r.Changed && r.Label != r.True));
        Assert.Equal(4, rows.GroupBy(r => r.True).Min(g => g.Count()));               // class-balanced: 4 of each of the 10 classes
        Assert.Equal(200, summary.TrainSize);
        Assert.Equal(1.0, summary.FractionLabelsChanged);
        Assert.Equal(40, summary.LabelTransition!.Sum(r => r.Sum()));                  // the labelled part's transition
        var m = Measures(folder["run"]);
        Assert.Equal((40.0, 160.0, 40.0), (m["labelled"]!.Value, m["unlabelled"]!.Value, m["corrupted_labelled"]!.Value));
        // every labelled example is corrupted: those predicted as their (wrong) label are the labelled fit
        Assert.Equal(summary.FinalTrainAccuracy, m["corrupted_memorized"]!.Value);
        Assert.True(m["corrupted_memorized"] > 0.5, $"memorized {m["corrupted_memorized"]}");
        Assert.Null(m["clean_labelled_fit"]);                                          // no clean labelled example
        // the per-example record: fitted now ⇔ a first-fit epoch; as many as the fit says
        Assert.Equal((int)Math.Round(summary.FinalTrainAccuracy * 40), rows.Count(r => r.FirstFit > 0));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    [InlineData(1.0)]
    public void FixMatchs_threshold_gives_the_confident_share_of_the_final_model_on_the_unlabelled_images(double tau)
    {
        using var folder = new TempFolder();
        var config = Small(SemiSupervisedTask.FixMatch, epochs: 3) with { PseudoThreshold = tau };
        Trainer.Run(config, folder["run"]);
        var m = Measures(folder["run"]);

        // the test's own computation from the final weights: the unlabelled images are the training images not in labelled.csv
        var labelled = Labelled(folder["run"]).Select(r => r.Index).ToHashSet();
        using var data = TrainingData.Prepare(config with { Labelled = 0, SemiMethod = TrainConfig.DefaultSemiMethod, PseudoThreshold = TrainConfig.DefaultPseudoThreshold, UnlabelledRatio = TrainConfig.DefaultUnlabelledRatio }, CPU);
        var unlabelled = Enumerable.Range(0, data.TrainCount).Where(i => !labelled.Contains(i)).Select(i => (long)i).ToArray();
        using var model = ModelRegistry.Create(config.Model, data.InputShape, data.Classes, new ModelOptions());
        RunWeights.Load(model, Path.Combine(folder["run"], RunWeights.FinalFile));
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var probabilities = model.call(data.TrainEvalX.index_select(0, tensor(unlabelled))).softmax(1).to_type(ScalarType.Float64);
        var top = probabilities.max(1);
        var maxima = top.values.data<double>().ToArray();
        var predicted = top.indexes.data<long>().ToArray();
        var truth = data.TrainY.index_select(0, tensor(unlabelled)).data<long>().ToArray();
        // float32 softmax compared with τ: recompute the comparison on the float32 values the task compares
        var maxima32 = maxima.Select(v => (float)v).ToArray();
        var confident = Enumerable.Range(0, unlabelled.Length).Where(i => maxima32[i] >= (float)tau).ToList();
        Assert.Equal(160, unlabelled.Length);
        Assert.Equal(confident.Count / 160.0, m["mask_rate"]!.Value, 12);
        if (tau == 0) Assert.Equal(1.0, m["mask_rate"]!.Value);                               // every image passes τ = 0
        double? accuracy = confident.Count == 0 ? null : confident.Count(i => predicted[i] == truth[i]) / (double)confident.Count;
        if (accuracy is null) Assert.Null(m["pseudo_label_accuracy"]);
        else Assert.Equal(accuracy.Value, m["pseudo_label_accuracy"]!.Value, 12);
        Assert.Equal(Enumerable.Range(0, 160).Count(i => predicted[i] == truth[i]) / 160.0, m["unlabelled_accuracy"]!.Value, 12);
    }

    [Theory]
    [InlineData("--labelled 200 leaves no unlabelled example among the 200 of --train-size; choose fewer than 200, or drop --labelled to train on every label.", 200, "fixmatch", "fashion-mnist", "none")]
    [InlineData("--semi-method fixmatch augments images (shifts, flips, cutout), and house-prices is not an image dataset; use pseudo-label or supervised.", 40, "fixmatch", "house-prices", "none")]
    [InlineData("--labelled keeps the class labels of N training examples, and house-prices is a regression table with no classes; drop --labelled.", 40, "pseudo-label", "house-prices", "none")]
    [InlineData("--semi-method fixmatch makes its own weak and strong views of every image; drop --augment.", 40, "fixmatch", "fashion-mnist", "crop")]
    public void Impossible_options_are_refused_in_one_sentence(string message, int labelled, string method, string dataset, string augment)
    {
        var config = Small(method) with { Labelled = labelled, Dataset = dataset, Augment = augment };
        Assert.Equal(message, Assert.Throws<ShatterException>(() => config.Validate()).Message);
    }

    [Fact]
    public void The_semi_supervised_options_without_labelled_are_refused()
    {
        var config = new TrainConfig { SemiMethod = "fixmatch" };
        Assert.Equal("--semi-method, --pseudo-threshold and --unlabelled-ratio shape the unlabelled part that --labelled N leaves; add --labelled or drop them.",
            Assert.Throws<ShatterException>(() => config.Validate()).Message);
        Assert.Equal("option 'semi_method', option 'pseudo_threshold' and option 'unlabelled_ratio' shape the unlabelled part that option 'labelled' N leaves; add option 'labelled' or drop them.",
            Assert.Throws<ShatterException>(() => config.Validate(OptionSpelling.Spec)).Message);
    }

    [Fact]
    public void Fewer_labelled_examples_than_classes_are_refused_before_anything_is_written()
    {
        using var folder = new TempFolder();
        var e = Assert.Throws<ShatterException>(() => Trainer.Run(Small(SemiSupervisedTask.PseudoLabel) with { Labelled = 9 }, folder["run"]));
        Assert.Equal("--labelled 9 is fewer than the 10 classes of fashion-mnist, so some class would have no labelled example; choose at least 10.", e.Message);
        Assert.False(File.Exists(Path.Combine(folder["run"], "summary.json")));
        Assert.False(File.Exists(Path.Combine(folder["run"], "run.json")));
    }

    [Fact]
    public void The_options_leave_every_existing_run_identity_as_it_was()
    {
        var plain = new TrainConfig { Model = "mlp-1x512" };
        Assert.DoesNotContain("labelled", Shatter.Experiments.RunIdentity.Canonical(plain), StringComparison.Ordinal);
        Assert.NotEqual(Shatter.Experiments.RunIdentity.Hash(plain with { Labelled = 100, SemiMethod = "supervised" }),
            Shatter.Experiments.RunIdentity.Hash(plain with { Labelled = 100, SemiMethod = "fixmatch" }));
    }
}
