using System.Diagnostics;
using System.Text.Json;
using Shatter.Training;
using TorchSharp;

namespace Shatter.Tests.Training;

[Collection(SerialTorchRandom.Name)]
public sealed class TrainerTests : IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "shatter-trainer-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Scratch.Delete(_dir);
    }

    /// <summary>A small, fast run on the real Fashion-MNIST: 400 training and 400 test images.</summary>
    static TrainConfig Small(int epochs = 3) => new()
    {
        TrainSize = 400, TestSize = 400, Model = "mlp-1x512", Epochs = epochs, BatchSize = 50, Threads = 1, LearningRateDecay = 0.9, DecayEvery = 400,
    };

    string Out(string name) => Path.Combine(_dir, name);

    /// <summary>The CSV without its wall-clock column (the last), so two runs compare on what they computed.</summary>
    static string[] WithoutSeconds(string csv) => File.ReadAllLines(csv).Select(l => l[..l.LastIndexOf(',')]).ToArray();

    [Fact]
    public void Same_seed_gives_the_same_data_order_initialisation_and_metrics()
    {
        var config = Small() with { Dropout = 0.2, AugmentFlip = true, LabelNoise = 0.5 };
        var a = Trainer.Run(config, Out("a"));
        var b = Trainer.Run(config, Out("b"));
        Assert.Equal(WithoutSeconds(Path.Combine(Out("a"), "epochs.csv")), WithoutSeconds(Path.Combine(Out("b"), "epochs.csv")));
        Assert.Equal(File.ReadAllLines(Path.Combine(Out("a"), "steps.csv")), File.ReadAllLines(Path.Combine(Out("b"), "steps.csv")));
        Assert.Equal(File.ReadAllText(Path.Combine(Out("a"), "examples.csv")), File.ReadAllText(Path.Combine(Out("b"), "examples.csv")));
        Assert.Equal(a.FinalTrainLoss, b.FinalTrainLoss);

        var c = Trainer.Run(config with { Seed = 2 }, Out("c"));
        Assert.NotEqual(a.FinalTrainLoss, c.FinalTrainLoss);
    }

    [Fact]
    public void Records_every_step_and_epoch_and_writes_the_summary_contract()
    {
        var s = Trainer.Run(Small(epochs: 2), Out("r"));
        var run = new RunFolder(Out("r"));
        var epochs = RunFolder.ReadEpochs(run.EpochsCsv);
        Assert.Equal([0, 1, 2], epochs.Select(e => e.Epoch));
        Assert.Equal(16, s.Steps); // 400 / 50 per epoch
        Assert.Equal(17, File.ReadAllLines(run.StepsCsv).Length); // header + one row per step
        // The paper's schedule, per 400 samples here: 0.01, then 0.009 in epoch 2.
        Assert.Equal(0.009, double.Parse(File.ReadAllLines(run.StepsCsv)[9].Split(',')[2], System.Globalization.CultureInfo.InvariantCulture), 12);
        using var doc = JsonDocument.Parse(File.ReadAllText(run.SummaryJson));
        foreach (var key in new[] { "parameters", "epochs", "steps", "steps_to_fit", "final_train_accuracy", "final_test_accuracy", "best_test_accuracy", "wall_seconds", "train_samples_per_second" })
            Assert.True(doc.RootElement.TryGetProperty(key, out _), $"summary.json lacks {key}");
        Assert.Equal(s.Steps * 50 / s.WallSeconds, s.TrainSamplesPerSecond, 6);
        Assert.Equal(401, File.ReadAllLines(run.ExamplesCsv).Length);
        using var runJson = JsonDocument.Parse(File.ReadAllText(run.RunJson));
        Assert.Equal(1, runJson.RootElement.GetProperty("seed").GetInt64());
        Assert.True(runJson.RootElement.GetProperty("versions").TryGetProperty("torchsharp", out _));
    }

    /// <summary>A clock for the checkpoint cadence that advances <paramref name="step"/> seconds at every reading.</summary>
    sealed class SteppingClock(double step) : TimeProvider
    {
        long now;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => now += (long)(step * TimeSpan.TicksPerSecond);
    }

    [Fact]
    public void A_short_run_checkpoints_after_its_first_epoch_and_at_its_end_only_and_profiles_where_its_time_went()
    {
        // the cadence's clock stands still: however slow the machine, no CheckpointEverySeconds pass between epochs
        var summary = Trainer.Run(Small(epochs: 3), Out("p"), new TrainerOptions { CheckpointClock = new SteppingClock(0) });
        var run = new RunFolder(Out("p"));
        var profile = JsonSerializer.Deserialize<TrainProfile>(File.ReadAllText(run.ProfileJson), Json.Options)!;
        Assert.Equal(3, profile.Epochs);
        Assert.Equal(2, profile.CheckpointsWritten);          // epoch 1, then the end
        Assert.Single(Directory.GetDirectories(Out("p"), "checkpoint-*"), d => d.EndsWith($"checkpoint-{summary.Steps:D9}")); // the final model
        double phases = profile.Setup + profile.Steps + profile.EvaluateTrain + profile.EvaluateTest + profile.Csv + profile.Checkpoints + profile.Finish;
        Assert.True(profile.Steps > 0 && profile.EvaluateTrain > 0 && profile.EvaluateTest > 0 && profile.Checkpoints > 0);
        Assert.InRange(phases, 0.9 * profile.Total, profile.Total + 1e-6);   // the laps cover the run

        // a clock on which CheckpointEverySeconds pass between any two readings: every epoch checkpoints
        Trainer.Run(Small(epochs: 3), Out("q"), new TrainerOptions { CheckpointClock = new SteppingClock(Trainer.CheckpointEverySeconds) });
        var every = JsonSerializer.Deserialize<TrainProfile>(File.ReadAllText(new RunFolder(Out("q")).ProfileJson), Json.Options)!;
        Assert.Equal(3, every.CheckpointsWritten);
    }

    [Fact]
    public void Random_labels_are_fit_completely_with_test_accuracy_near_chance_and_true_labels_fit_faster()
    {
        var config = Small(epochs: 200) with { TrainSize = 300, TestSize = 1000, UntilFit = true, LearningRateDecay = 1, BatchSize = 32 };
        var random = Trainer.Run(config with { LabelNoise = 1 }, Out("random"));
        var clean = Trainer.Run(config, Out("true"));
        Assert.Equal(1.0, random.FinalTrainAccuracy);
        Assert.Equal("fit", random.StopReason);
        Assert.InRange(random.FinalTestAccuracy, 0.05, 0.17); // chance is 10%; 1000 test images → σ ≈ 1%
        Assert.NotNull(clean.StepsToFit);
        Assert.True(clean.StepsToFit < random.StepsToFit, $"true labels took {clean.StepsToFit} steps, random {random.StepsToFit}");
        Assert.True(clean.FinalTestAccuracy > 0.6, $"true-label test accuracy {clean.FinalTestAccuracy}");
    }

    [Fact]
    public void The_screened_training_evaluation_finds_the_fit_at_the_epoch_a_whole_set_pass_every_epoch_finds()
    {
        // The same training without --until-fit evaluates the whole training set after every epoch (no screen), so its
        // epochs.csv holds the model's own training accuracy: the until-fit run must stop at its first 100% epoch.
        var config = Small(epochs: 200) with { TrainSize = 300, TestSize = 100, UntilFit = true, LearningRateDecay = 1, BatchSize = 32, LabelNoise = 1 };
        var screened = Trainer.Run(config, Out("screened"));
        Assert.Equal("fit", screened.StopReason);
        var full = Trainer.Run(config with { UntilFit = false, Epochs = screened.Epochs }, Out("full"));
        var exact = RunFolder.ReadEpochs(new RunFolder(Out("full")).EpochsCsv);
        Assert.Equal(exact.First(e => e.TrainAccuracy >= 1).Epoch, screened.EpochsToFit);
        Assert.Equal(full.FinalTrainLoss, screened.FinalTrainLoss);                       // the fit epoch is a whole-set pass
        Assert.Equal(full.FinalTestAccuracy, screened.FinalTestAccuracy);
        var rows = RunFolder.ReadEpochs(new RunFolder(Out("screened")).EpochsCsv);
        Assert.Equal(exact.Select(e => e.TestLoss), rows.Select(e => e.TestLoss));         // the test set is measured every epoch either way
        var profile = JsonSerializer.Deserialize<TrainProfile>(File.ReadAllText(new RunFolder(Out("screened")).ProfileJson), Json.Options)!;
        Assert.InRange(profile.ScreenedEpochs, screened.Epochs / 2, screened.Epochs - 1); // most epochs skip the whole-set pass; never the fit
        Assert.Equal(0, JsonSerializer.Deserialize<TrainProfile>(File.ReadAllText(new RunFolder(Out("full")).ProfileJson), Json.Options)!.ScreenedEpochs);
    }

    [Fact]
    public void Native_memory_stays_flat_across_epochs()
    {
        var live = new List<long>();
        Trainer.Run(Small(epochs: 6) with { AugmentFlip = true }, Out("m"), observer: new LiveTensors(live));
        // After the first epoch has allocated its buffers, no epoch may leave tensors behind.
        Assert.Equal(7, live.Count);
        Assert.All(live.Skip(2), count => Assert.Equal(live[1], count));
    }

    sealed class LiveTensors(List<long> live) : ITrainObserver
    {
        public void OnStep(long step, int epoch, double loss) { }
        public void OnEpoch(EpochMetrics m, int maxEpochs) => live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void A_killed_run_resumes_from_its_checkpoint_and_ends_as_an_uninterrupted_run()
    {
        var config = Small(epochs: 6) with { TrainSize = 2000, Dropout = 0.1, AugmentCrop = true, AugmentFlip = true, LabelNoise = 0.3 };
        Trainer.Run(config, Out("whole"));

        // Start the same run as a separate process and kill it once it has checkpointed an epoch.
        var killed = Out("killed");
        var cli = typeof(Shatter.Cli.ShatterApp).Assembly.Location;
        var args = new List<string> { cli, "train", "--model", "mlp-1x512", "--train-size", "2000", "--test-size", "400", "--epochs", "6", "--batch-size", "50",
            "--threads", "1", "--lr-decay", "0.9", "--decay-every", "400", "--dropout", "0.1", "--augment", "crop,flip", "--label-noise", "0.3",
            "--quiet", "--out", killed };
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        args.ForEach(psi.ArgumentList.Add);
        using (var p = Process.Start(psi)!)
        {
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (!File.Exists(Path.Combine(killed, "checkpoint.json")) && !p.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(20);
            if (p.HasExited) Assert.Fail($"the run ended (exit {p.ExitCode}) before it could be killed: {p.StandardOutput.ReadToEnd()} {p.StandardError.ReadToEnd()}");
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }
        Assert.False(File.Exists(Path.Combine(killed, "summary.json")));

        var resumed = Trainer.Run(config, killed, resume: true);
        Assert.Equal(6, resumed.Epochs);
        Assert.Equal(WithoutSeconds(Path.Combine(Out("whole"), "epochs.csv")), WithoutSeconds(Path.Combine(killed, "epochs.csv")));
        Assert.Equal(File.ReadAllLines(Path.Combine(Out("whole"), "steps.csv")), File.ReadAllLines(Path.Combine(killed, "steps.csv")));
        Assert.Equal(File.ReadAllText(Path.Combine(Out("whole"), "examples.csv")), File.ReadAllText(Path.Combine(killed, "examples.csv")));
    }

    [Fact]
    public void A_checkpoint_damaged_inside_its_weights_is_refused_in_one_sentence_never_resumed()
    {
        var config = Small(epochs: 3);
        Trainer.Run(config with { MaxSteps = 12 }, Out("damaged"));          // stopped in epoch 2, after its checkpoint
        var model = Directory.GetFiles(Out("damaged"), "model.bin", SearchOption.AllDirectories).Single();
        string[] Files() => [File.ReadAllText(Path.Combine(Out("damaged"), "epochs.csv")), File.ReadAllText(Path.Combine(Out("damaged"), "summary.json"))];
        var before = Files();
        using (var f = new FileStream(model, FileMode.Open, FileAccess.Write))
        {
            f.Position = f.Length / 2;                                          // 4 KB of garbage inside the weights, size unchanged
            f.Write(Enumerable.Range(0, 4096).Select(i => (byte)(i * 37 + 11)).ToArray());
        }
        var e = Assert.Throws<ShatterException>(() => Trainer.Run(config, Out("damaged"), resume: true));
        Assert.Contains(model, e.Message);
        Assert.Contains("checkpoint.json", e.Message);                          // the fix: start afresh (or restore the file)
        Assert.DoesNotContain("\n", e.Message);
        Assert.Equal(before, Files());                                          // nothing resumed, nothing rewritten
        // through the CLI: exit code 2, the sentence alone
        var cli = Cli.CliRunner.Run("train", "--model", "mlp-1x512", "--train-size", "400", "--test-size", "400", "--epochs", "3", "--batch-size", "50", "--threads", "1",
            "--lr-decay", "0.9", "--decay-every", "400", "--quiet", "--out", Out("damaged"), "--resume");
        Assert.Equal(2, cli.ExitCode);
        Assert.Contains("is damaged", cli.Error);
    }

    [Fact]
    public void The_run_folder_names_its_train_and_test_examples_so_its_test_accuracy_is_reproduced_outside_the_trainer()
    {
        var summary = Trainer.Run(Small(epochs: 2) with { TestSize = 300 }, Out("subsets"));
        var run = new RunFolder(Out("subsets"));
        static long[] Sources(string csv)
        {
            var lines = File.ReadAllLines(csv);
            Assert.Equal(RunFolder.SubsetHeader, lines[0]);
            Assert.Equal(Enumerable.Range(0, lines.Length - 1).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), lines.Skip(1).Select(l => l.Split(',')[0]));
            return [.. lines.Skip(1).Select(l => long.Parse(l.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture))];
        }
        var train = Sources(run.SubsetTrainCsv);
        var test = Sources(run.SubsetTestCsv);
        using var fashion = Shatter.Data.DatasetCatalog.Load("fashion-mnist");
        Assert.Equal(400, train.Distinct().Count());
        Assert.All(train, i => Assert.InRange(i, 0, fashion.Train.Count - 1));
        using (var idx = torch.tensor(train))
        using (var labels = fashion.Train.Labels.index_select(0, idx))
        using (var counts = labels.bincount(null, 10))
            Assert.All(counts.data<long>().ToArray(), c => Assert.Equal(40, c)); // class-balanced, as the run says

        // the official test images at those rows, preprocessed as the paper does (/255, per-image whitening), through the
        // final weights: the run's test accuracy, recomputed without the trainer
        using var scope = torch.NewDisposeScope();
        using var model = Shatter.Models.ModelRegistry.Create("mlp-1x512", (1, 28, 28), 10, new Shatter.Models.ModelOptions());
        RunWeights.Load(model, run.FinalWeights);
        model.eval();
        var rows = torch.tensor(test);
        var x = Shatter.Data.Preprocessing.PerImageStandardization(Shatter.Data.Preprocessing.ToUnitFloat(fashion.Test.Images.index_select(0, rows)));
        using var noGrad = torch.no_grad();
        var right = model.call(x).argmax(1).eq(fashion.Test.Labels.index_select(0, rows)).sum().item<long>();
        Assert.Equal(summary.FinalTestAccuracy, right / 300.0);
    }

    [Fact]
    public void Resuming_with_another_configuration_is_refused()
    {
        var config = Small(epochs: 1);
        Trainer.Run(config, Out("x"));
        File.Delete(Path.Combine(Out("x"), "summary.json"));
        var e = Assert.Throws<ShatterException>(() => Trainer.Run(config with { LabelNoise = 0.5, Epochs = 2 }, Out("x"), resume: true));
        Assert.Contains("different configuration", e.Message);
    }

    [Fact]
    public void Trains_alexnet_on_cifar10_binary_files_centre_cropped_to_28()
    {
        // Real CIFAR-10 format (data_batch_1..5.bin, test_batch.bin) written by the tests.
        var data = Path.Combine(_dir, "cifar");
        Shatter.Tests.Data.TestFiles.WriteCifar10Folder(data, [20, 20, 20, 20, 20], test: 30);
        var r = Cli.CliRunner.Run("train", "--dataset", "cifar10", "--data-dir", data, "--model", "alexnet", "--epochs", "1",
            "--batch-size", "25", "--threads", "1", "--label-noise", "1", "--json", "--out", Out("cifar"));
        Assert.True(r.ExitCode == 0, r.Error);
        using var summary = JsonDocument.Parse(r.Output);
        Assert.Equal(1_387_786, summary.RootElement.GetProperty("parameters").GetInt64()); // the paper's count on 3×28×28
        Assert.Equal(100, summary.RootElement.GetProperty("train_size").GetInt32());
        Assert.Equal(4, summary.RootElement.GetProperty("steps").GetInt64());
        using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out("cifar"), "run.json")));
        Assert.Equal(28, run.RootElement.GetProperty("resolved").GetProperty("crop").GetInt32());
    }

    [Fact]
    public void Two_runs_never_share_one_folder()
    {
        var run = new RunFolder(Out("busy"));
        Directory.CreateDirectory(run.Path);
        using (run.Lock())
        {
            var e = Assert.Throws<ShatterException>(() => Trainer.Run(Small(epochs: 1), run.Path));
            Assert.Contains("another shatter process", e.Message);
        }
        Trainer.Run(Small(epochs: 1), run.Path); // free again once released
        Assert.True(File.Exists(run.SummaryJson));
    }

    [Fact]
    public void A_finished_run_folder_is_never_overwritten()
    {
        Trainer.Run(Small(epochs: 1), Out("done"));
        var before = File.ReadAllText(Path.Combine(Out("done"), "summary.json"));
        Assert.Throws<ShatterException>(() => Trainer.Run(Small(epochs: 1), Out("done")));
        Assert.Equal(before, File.ReadAllText(Path.Combine(Out("done"), "summary.json")));
    }
    [Fact]
    public void A_max_steps_stop_mid_epoch_resumes_at_that_step_and_ends_bit_for_bit_as_an_uninterrupted_run()
    {
        // 400 images / 50 = 8 steps per epoch; stopping at step 13 cuts epoch 2 after 5 of its 8 steps. Dropout, crops and
        // flips draw from the epoch's generators, so the resumed half-epoch must restore them, not restart them.
        var config = Small(epochs: 4) with { Dropout = 0.2, AugmentCrop = true, AugmentFlip = true, LabelNoise = 0.3 };
        var whole = Trainer.Run(config, Out("whole"));
        var stopped = Trainer.Run(config with { MaxSteps = 13 }, Out("cut"));
        Assert.Equal("max-steps", stopped.StopReason);
        Assert.Equal(13, stopped.Steps);
        var resumed = Trainer.Run(config, Out("cut"), resume: true);

        Assert.Equal(32, resumed.Steps); // 4 full epochs: no step skipped
        Assert.Equal(File.ReadAllLines(Path.Combine(Out("whole"), "steps.csv")), File.ReadAllLines(Path.Combine(Out("cut"), "steps.csv")));
        Assert.Equal(WithoutSeconds(Path.Combine(Out("whole"), "epochs.csv")), WithoutSeconds(Path.Combine(Out("cut"), "epochs.csv")));
        Assert.Equal(File.ReadAllText(Path.Combine(Out("whole"), "examples.csv")), File.ReadAllText(Path.Combine(Out("cut"), "examples.csv")));
        Assert.Equal(whole.FinalTrainLoss, resumed.FinalTrainLoss); // exact: the same weights
        Assert.Equal(whole.FinalTestLoss, resumed.FinalTestLoss);
    }

    [Fact]
    public void A_max_steps_stop_at_an_epochs_end_records_the_uninterrupted_runs_row_and_state_and_resumes_bit_for_bit()
    {
        // Random labels until fit: the screen skips the whole-set pass of most epochs, which then record their running
        // loss and accuracy. 400 images / 50 = 8 steps per epoch: --max-steps 16 stops right after epoch 2, which the
        // uninterrupted run screens; the stopped run must record that same row and checkpoint that same state.
        var config = Small(epochs: 6) with { LabelNoise = 1, UntilFit = true };
        Trainer.Run(config, Out("whole"));
        var wholeRows = WithoutSeconds(Path.Combine(Out("whole"), "epochs.csv"));
        static int Screened(string dir) => JsonSerializer.Deserialize<TrainProfile>(File.ReadAllText(new RunFolder(dir).ProfileJson), Json.Options)!.ScreenedEpochs;
        Assert.True(Screened(Out("whole")) >= 2, "the uninterrupted run screened too few epochs for this test to mean anything");

        var stopped = Trainer.Run(config with { MaxSteps = 16 }, Out("cut"));
        Assert.Equal("max-steps", stopped.StopReason);
        Assert.Equal(2, stopped.Epochs);
        Assert.Equal(wholeRows.Take(4), WithoutSeconds(Path.Combine(Out("cut"), "epochs.csv")));   // header and epochs 0–2
        Assert.Equal(2, Screened(Out("cut")));

        Trainer.Run(config, Out("cut"), resume: true);
        Assert.Equal(wholeRows, WithoutSeconds(Path.Combine(Out("cut"), "epochs.csv")));
        Assert.Equal(File.ReadAllLines(Path.Combine(Out("whole"), "steps.csv")), File.ReadAllLines(Path.Combine(Out("cut"), "steps.csv")));
        Assert.Equal(File.ReadAllText(Path.Combine(Out("whole"), "examples.csv")), File.ReadAllText(Path.Combine(Out("cut"), "examples.csv")));
        Assert.Equal(Screened(Out("whole")), Screened(Out("cut")));                                  // counted over the whole run
    }

    [Fact]
    public void An_until_fit_run_stopped_inside_a_screened_epoch_resumes_into_the_same_screened_row()
    {
        // 8 steps per epoch; --max-steps 12 stops after 4 steps of epoch 2, which the uninterrupted run screens. The resumed
        // process runs the other 4: its screen needs the first half's forward passes and step losses, kept in the checkpoint.
        var config = Small(epochs: 6) with { LabelNoise = 1, UntilFit = true };
        Trainer.Run(config, Out("whole"));
        static int Screened(string dir) => JsonSerializer.Deserialize<TrainProfile>(File.ReadAllText(new RunFolder(dir).ProfileJson), Json.Options)!.ScreenedEpochs;
        Trainer.Run(config with { MaxSteps = 12 }, Out("cut"));
        Trainer.Run(config, Out("cut"), resume: true);
        Assert.Equal(WithoutSeconds(Path.Combine(Out("whole"), "epochs.csv")), WithoutSeconds(Path.Combine(Out("cut"), "epochs.csv")));
        Assert.Equal(File.ReadAllLines(Path.Combine(Out("whole"), "steps.csv")), File.ReadAllLines(Path.Combine(Out("cut"), "steps.csv")));
        Assert.Equal(File.ReadAllText(Path.Combine(Out("whole"), "examples.csv")), File.ReadAllText(Path.Combine(Out("cut"), "examples.csv")));
        Assert.Equal(Screened(Out("whole")), Screened(Out("cut")));
    }

    [Fact]
    public void A_checkpoint_is_durable_before_it_is_named_and_the_previous_one_lives_until_then()
    {
        var synced = new List<(string Path, bool PreviousExists)>();
        string? previous = null;
        var run = new RunFolder(Out("durable"));
        Durable.Observer = p =>
        {
            lock (synced) synced.Add((p, previous is not null && Directory.Exists(previous)));
        };
        try
        {
            var observer = new EachEpoch(_ => previous = Directory.EnumerateDirectories(run.Path, "checkpoint-*").SingleOrDefault());
            Trainer.Run(Small(epochs: 2), run.Path, observer: observer);
        }
        finally
        {
            Durable.Observer = null;
        }
        // The second checkpoint: its files and folder are synced, then the run folder, then the pointer is renamed
        // and its folder synced, and only then is the first checkpoint removed.
        var mine = synced.Where(s => s.Path.StartsWith(run.Path, StringComparison.Ordinal)).ToList();
        int model2 = mine.FindLastIndex(s => s.Path.EndsWith("model.bin", StringComparison.Ordinal));
        int pointerTmp = mine.FindLastIndex(s => s.Path.Contains(".checkpoint.json.", StringComparison.Ordinal));
        Assert.True(model2 >= 0 && pointerTmp > model2, string.Join("\n", mine.Select(s => s.Path)));
        Assert.True(mine[pointerTmp].PreviousExists, "the previous checkpoint was gone before the new one was named");
        Assert.Equal(run.Path, mine[pointerTmp + 1].Path.TrimEnd('/')); // the folder entry of the renamed pointer
        Assert.True(mine[pointerTmp + 1].PreviousExists);
        Assert.Single(Directory.EnumerateDirectories(run.Path, "checkpoint-*")); // and afterwards only the new one is kept
    }

    [Fact]
    public void The_weights_files_are_on_disk_before_the_summary_that_names_them()
    {
        var synced = new List<string>();
        var run = new RunFolder(Out("synced"));
        Durable.Observer = p =>
        {
            lock (synced) synced.Add(p);
        };
        try
        {
            Trainer.Run(Small(epochs: 1), run.Path);
        }
        finally
        {
            Durable.Observer = null;
        }
        var mine = synced.Where(s => s.StartsWith(run.Path, StringComparison.Ordinal)).ToList();
        int Synced(string file) => mine.FindIndex(s => Path.GetFileName(s).StartsWith($".{file}.", StringComparison.Ordinal));
        int initial = Synced(RunWeights.InitialFile), final = Synced(RunWeights.FinalFile), summary = Synced("summary.json");
        Assert.True(initial >= 0 && final >= 0, string.Join("\n", mine));   // each temporary file is synced before its rename...
        Assert.Equal(run.Path, mine[initial + 1].TrimEnd('/'));                  // ...and the folder entry of the renamed file after it
        Assert.Equal(run.Path, mine[final + 1].TrimEnd('/'));
        Assert.True(summary > final + 1, "summary.json was made durable before the final weights it names");
        Assert.True(File.Exists(run.FinalWeights) && File.Exists(run.InitialWeights));
        Assert.Empty(Directory.GetFiles(run.Path, "*.tmp"));
    }

    sealed class EachEpoch(Action<EpochMetrics> action) : ITrainObserver
    {
        public void OnStep(long step, int epoch, double loss) { }
        public void OnEpoch(EpochMetrics m, int maxEpochs) => action(m);
    }

    [Fact]
    public void A_non_finite_loss_ends_the_run_as_diverged_with_every_file_written_and_nulls_in_json()
    {
        var s = Trainer.Run(Small(epochs: 3) with { LearningRate = 50, LearningRateDecay = 1 }, Out("nan"));
        Assert.Equal("diverged", s.StopReason);
        Assert.NotNull(s.DivergedStep);
        Assert.InRange(s.DivergedStep!.Value, 1, 24);
        var run = new RunFolder(Out("nan"));
        foreach (var f in new[] { run.RunJson, run.SummaryJson, run.EpochsCsv, run.StepsCsv, run.ExamplesCsv }) Assert.True(File.Exists(f), f);
        var steps = File.ReadAllLines(run.StepsCsv).Skip(1).Select(l => l.Split(',')).ToList();
        // The CSVs keep non-finite values as .NET writes them (NaN, Infinity): double.Parse and pandas read them back.
        // The diverged step is the first whose loss is non-finite, or the epoch's last if only the evaluation after it was.
        static double Loss(string[] c) => double.Parse(c[3], System.Globalization.CultureInfo.InvariantCulture);
        static long Step(string[] c) => long.Parse(c[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.All(steps.Where(c => Step(c) < s.DivergedStep), c => Assert.True(double.IsFinite(Loss(c))));
        var atEpoch = RunFolder.ReadEpochs(run.EpochsCsv).Single(e => e.Epoch == s.DivergedEpoch);
        Assert.True(!double.IsFinite(Loss(steps.Single(c => Step(c) == s.DivergedStep))) || (!double.IsFinite(atEpoch.TrainLoss) && atEpoch.Step == s.DivergedStep));
        using var doc = JsonDocument.Parse(File.ReadAllText(run.SummaryJson));
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("final_train_loss").ValueKind);
        Assert.Equal(s.DivergedStep, doc.RootElement.GetProperty("diverged_step").GetInt64());
        Assert.Matches(@"^the training loss became (NaN|infinite) at step \d+ of epoch \d+ \(lr 50\); lower --lr\.$", s.Notice);
        var back = JsonSerializer.Deserialize<TrainSummary>(File.ReadAllText(run.SummaryJson), Shatter.Json.Options)!;
        Assert.True(double.IsNaN(back.FinalTrainLoss));
    }

    [Fact]
    public void An_until_fit_run_whose_accuracy_stops_rising_while_the_rate_falls_100_fold_stops_as_stalled()
    {
        // Random labels and a rate cut 10× per epoch: the best accuracy stops rising within a few epochs, and two epochs
        // later the rate is 100× below the one at the last gain.
        var config = Small(epochs: 50) with { LabelNoise = 1, UntilFit = true, Schedule = LearningRateSchedule.Paper, LearningRateDecay = 0.1, DecayEvery = 400 };
        var s = Trainer.Run(config, Out("stall"));
        Assert.Equal("stalled", s.StopReason);
        Assert.True(s.Epochs < 20, $"{s.Epochs} epochs");
        Assert.Null(s.StepsToFit);
        Assert.Contains("--lr-decay 1", s.Notice);
        Assert.Contains("--fit-target 0.999", s.Notice);
        // at a constant rate there is no decay to switch off: the advice is the lower target only
        var constant = Trainer.Run(config with { Schedule = LearningRateSchedule.Constant, LearningRate = 1e-9, Epochs = 250, TrainSize = 100, TestSize = 100, BatchSize = 100 }, Out("stall-constant"));
        Assert.Equal("stalled", constant.StopReason);
        Assert.DoesNotContain("--lr-decay", constant.Notice);
        Assert.Contains("--fit-target 0.999", constant.Notice);
        // Without --until-fit the same run trains its epochs: stall detection is part of the until-fit rule only.
        var fixedRun = Trainer.Run(config with { UntilFit = false, Epochs = 8 }, Out("fixed"));
        Assert.Equal("epochs", fixedRun.StopReason);
        Assert.Equal(8, fixedRun.Epochs);
    }

    [Fact]
    public void An_until_fit_run_on_a_plateau_cuts_its_rate_tenfold_twice_then_stalls_and_resumes_with_the_cut_rate()
    {
        // A rate of 1e-9 learns nothing: the best training accuracy is epoch 0's, so with a plateau of 3 epochs the rate is
        // cut after epochs 3 and 6 (to 1e-10, then 1e-11), never a third time, and the run stalls 200 epochs after its best.
        var config = Small(epochs: 300) with { TrainSize = 100, TestSize = 100, BatchSize = 100, LabelNoise = 1, UntilFit = true, LearningRate = 1e-9, PlateauEpochs = 3 };
        var s = Trainer.Run(config, Out("plateau"));
        Assert.Equal("stalled", s.StopReason);
        Assert.Equal([3, 6], s.PlateauDropEpochs!);
        var rates = RunFolder.ReadEpochs(Path.Combine(Out("plateau"), "epochs.csv")).ToDictionary(e => e.Epoch, e => e.LearningRate);
        Assert.Equal(1e-9, rates[3], 1e-20);
        Assert.Equal(1e-10, rates[4], 1e-20);
        Assert.Equal(1e-11, rates[7], 1e-21);
        Assert.Equal(1e-11, rates[s.Epochs], 1e-21);
        Assert.Contains("cut 100-fold", s.Notice);
        // the default for until-fit runs is 50 epochs (at the constant schedule; the paper's stays the paper's); 0 switches it off; runs without --until-fit never cut
        Assert.Equal(Trainer.PlateauEpochsUntilFit, (config with { PlateauEpochs = null }).PlateauEpochsResolved);
        Assert.Equal(0, (config with { PlateauEpochs = null, UntilFit = false }).PlateauEpochsResolved);
        Assert.Equal(0, (config with { PlateauEpochs = null, Schedule = LearningRateSchedule.Paper }).PlateauEpochsResolved);
        var off = Trainer.Run(config with { PlateauEpochs = 0, Epochs = 12, UntilFit = false, LearningRateDecay = 1 }, Out("off"));
        Assert.Null(off.PlateauDropEpochs);
        Assert.All(RunFolder.ReadEpochs(Path.Combine(Out("off"), "epochs.csv")), e => Assert.Equal(1e-9, e.LearningRate, 1e-20));
        // stopped after the first cut and resumed, the run computes what the uninterrupted one did
        var stopped = Trainer.Run(config with { MaxSteps = 5 }, Out("cut"));
        Assert.Equal([3], stopped.PlateauDropEpochs!);
        var resumed = Trainer.Run(config, Out("cut"), resume: true);
        Assert.Equal(s.PlateauDropEpochs, resumed.PlateauDropEpochs);
        Assert.Equal(WithoutSeconds(Path.Combine(Out("plateau"), "epochs.csv")), WithoutSeconds(Path.Combine(Out("cut"), "epochs.csv")));
    }

    [Fact]
    public void A_negative_plateau_is_refused_with_one_sentence()
    {
        var e = Assert.Throws<ShatterException>(() => (Small() with { PlateauEpochs = -1 }).Validate());
        Assert.Equal("--plateau must be 0 (never lower the rate) or a positive number of epochs, not -1.", e.Message);
    }
}
