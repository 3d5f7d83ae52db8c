using Shatter.Measures;
using Shatter.Tests.Data;
using Shatter.Training;

namespace Shatter.Tests.Measures;

/// <summary>Serial: it listens to <see cref="Durable.Observer"/>, which is process-wide, as the trainer's durability tests do.</summary>
[Collection(Shatter.Tests.Training.SerialTorchRandom.Name)]
public sealed class TrainingSetExportTests
{
    [Fact]
    public void An_exported_training_set_is_synced_to_disk_before_it_is_renamed_into_place()
    {
        RealData.RequireFashionMnist();
        using var folder = new TempFolder();
        Trainer.Run(new TrainConfig { TrainSize = 50, TestSize = 50, Model = "mlp-1x16", Epochs = 1, BatchSize = 25, Threads = 1 }, folder["run"]);
        var synced = new List<string>();
        Durable.Observer = p =>
        {
            lock (synced) synced.Add(p);
        };
        long n;
        try
        {
            n = TrainingSetExport.Save(folder["run"], folder["out/data.pt"]);
        }
        finally
        {
            Durable.Observer = null;
        }
        Assert.Equal(50, n);
        var mine = synced.Where(s => s.StartsWith(folder["out"], StringComparison.Ordinal)).ToList();
        int data = mine.FindIndex(s => Path.GetFileName(s).StartsWith(".data.pt.", StringComparison.Ordinal));
        Assert.True(data >= 0, string.Join("\n", mine));                      // the temporary file, before the rename
        Assert.Equal(folder["out"], mine[data + 1].TrimEnd('/'));              // then the folder entry of the renamed file
        Assert.True(File.Exists(folder["out/data.pt"]));
        Assert.Empty(Directory.GetFiles(folder["out"], "*.tmp"));
    }
}
