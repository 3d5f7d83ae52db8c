using System.Globalization;
using System.Text;
using Shatter.Training;
using TorchSharp;

namespace Shatter.Tests.Training;

[Collection(SerialTorchRandom.Name)]
public sealed class TensorBoardLogTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "shatter-tensorboard-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Scratch.Delete(dir);
    }

    static TrainConfig Small(int epochs) => new()
    {
        TrainSize = 400, TestSize = 400, Model = "mlp-1x512", Epochs = epochs, BatchSize = 50, Threads = 1, LearningRateDecay = 0.9, DecayEvery = 400,
    };

    static readonly string[] EpochTags =
        [TensorBoardLog.TrainLoss, TensorBoardLog.TestLoss, TensorBoardLog.TrainAccuracy, TensorBoardLog.TestAccuracy, TensorBoardLog.LearningRate, TensorBoardLog.EpochTag];

    /// <summary>(tag, step) → value of every scalar in the folder's event files; a repeated (tag, step) fails.</summary>
    static Dictionary<(string Tag, long Step), float> Scalars(IEnumerable<TensorBoardEvents.Event> events)
    {
        var scalars = new Dictionary<(string, long), float>();
        foreach (var e in events)
            foreach (var v in e.Values.Where(v => v.Simple is not null))
                Assert.True(scalars.TryAdd((v.Tag, e.Step), v.Simple!.Value), $"{v.Tag} at step {e.Step} is logged twice");
        return scalars;
    }

    /// <summary>What the event files must hold: every row of epochs.csv and steps.csv, as float32.</summary>
    static Dictionary<(string Tag, long Step), float> Expected(RunFolder run)
    {
        var expected = new Dictionary<(string, long), float>();
        foreach (var e in RunFolder.ReadEpochs(run.EpochsCsv))
        {
            expected[(TensorBoardLog.TrainLoss, e.Step)] = (float)e.TrainLoss;
            expected[(TensorBoardLog.TestLoss, e.Step)] = (float)e.TestLoss;
            expected[(TensorBoardLog.TrainAccuracy, e.Step)] = (float)e.TrainAccuracy;
            expected[(TensorBoardLog.TestAccuracy, e.Step)] = (float)e.TestAccuracy;
            expected[(TensorBoardLog.LearningRate, e.Step)] = (float)e.LearningRate;
            expected[(TensorBoardLog.EpochTag, e.Step)] = e.Epoch;
        }
        foreach (var line in File.ReadAllLines(run.StepsCsv).Skip(1))
        {
            var c = line.Split(',');
            expected[(TensorBoardLog.StepLoss, long.Parse(c[0], CultureInfo.InvariantCulture))] = float.Parse(c[3], CultureInfo.InvariantCulture);
        }
        return expected;
    }

    [Fact]
    public void A_run_writes_one_event_file_whose_scalars_are_its_epochs_csv_and_steps_csv()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var summary = Trainer.Run(Small(epochs: 2), dir);
        var after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var file = Assert.Single(TensorBoardLog.EventFiles(dir));
        var events = TensorBoardEvents.Read(file); // checks every record's two CRCs
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        var run = new RunFolder(dir);
        var scalars = Scalars(events);
        Assert.Equal(Expected(run).OrderBy(k => k.Key), scalars.OrderBy(k => k.Key));
        Assert.Equal(16, scalars.Keys.Count(k => k.Tag == TensorBoardLog.StepLoss)); // 2 epochs × 400 / 50
        Assert.Equal([0L, 8, 16], scalars.Keys.Where(k => k.Tag == TensorBoardLog.TestAccuracy).Select(k => k.Step).Order());
        Assert.Equal((float)summary.FinalTestAccuracy, scalars[(TensorBoardLog.TestAccuracy, 16)]);
        // TensorBoard's time axis: seconds since 1970 (TorchSharp's writer keeps whole seconds)
        Assert.All(events.Where(e => e.Values.Any(v => v.Simple is not null)), e => Assert.InRange(e.WallTime, before, after + 1));
        // the run's configuration, for TensorBoard's text tab
        var text = Assert.Single(events.SelectMany(e => e.Values), v => v.Tag == TensorBoardLog.RunText + "/text_summary").Text!; // the tag add_text writes, as in PyTorch
        Assert.Contains("\"seed\": 1", text);
    }

    [Fact]
    public void A_resumed_run_replaces_the_earlier_event_files_with_one_holding_each_tag_and_step_once()
    {
        var config = Small(epochs: 4);
        using (var cancel = new CancellationTokenSource())
            Assert.ThrowsAny<OperationCanceledException>(() => Trainer.Run(config, dir, observer: new CancelAfter(2, cancel), cancellationToken: cancel.Token));
        Assert.False(File.Exists(Path.Combine(dir, "summary.json")));
        // An interrupted process may have logged past its checkpoint (epoch 2, step 16): say step 20, and a
        // value no real step has.
        var stray = torch.utils.tensorboard.SummaryWriter(dir);
        stray.add_scalar(TensorBoardLog.StepLoss, 42f, 20);
        Assert.Equal(2, TensorBoardLog.EventFiles(dir).Length);

        var summary = Trainer.Run(config, dir, resume: true);
        Assert.Equal(4, summary.Epochs);
        var file = Assert.Single(TensorBoardLog.EventFiles(dir));
        var scalars = Scalars(TensorBoardEvents.Read(file));
        Assert.Equal(Expected(new RunFolder(dir)).OrderBy(k => k.Key), scalars.OrderBy(k => k.Key));
        Assert.Equal(32, scalars.Keys.Count(k => k.Tag == TensorBoardLog.StepLoss));
        Assert.DoesNotContain(42f, scalars.Values);
        Assert.All(EpochTags, tag => Assert.Equal(5, scalars.Keys.Count(k => k.Tag == tag))); // epochs 0..4
    }

    sealed class CancelAfter(int epoch, CancellationTokenSource cancel) : ITrainObserver
    {
        public void OnStep(long step, int e, double loss) { }
        public void OnEpoch(EpochMetrics m, int maxEpochs)
        {
            if (m.Epoch == epoch) cancel.Cancel(); // the epoch's checkpoint is still written; the next step stops
        }
    }

    [Fact]
    public void The_reader_checks_the_crcs_so_a_flipped_byte_is_caught()
    {
        Assert.Equal(0xE3069283u, TensorBoardEvents.Crc32C(Encoding.ASCII.GetBytes("123456789"))); // the CRC-32C check value
        Directory.CreateDirectory(dir);
        var writer = torch.utils.tensorboard.SummaryWriter(dir);
        writer.add_scalar("x", 1.5f, 3);
        var file = Assert.Single(TensorBoardLog.EventFiles(dir));
        var scalar = Assert.Single(TensorBoardEvents.Read(file), e => e.Values.Count > 0);
        Assert.Equal((3L, 1.5f), (scalar.Step, scalar.Values[0].Simple!.Value));
        var bytes = File.ReadAllBytes(file);
        bytes[^6] ^= 0x01; // inside the last record's data
        File.WriteAllBytes(file, bytes);
        Assert.Throws<InvalidDataException>(() => TensorBoardEvents.Read(file));
    }
}
