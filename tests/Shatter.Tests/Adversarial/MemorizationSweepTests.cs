using Shatter.Adversarial;
using Shatter.Experiments;
using Shatter.Results;
using Shatter.Tests.Data;
using Shatter.Tests.Experiments;
using Shatter.Training;

namespace Shatter.Tests.Adversarial;

/// <summary>A sweep stores the memorization points its runs wrote, before the run counts as done; a spec sets the option.</summary>
public sealed class MemorizationSweepTests
{
    /// <summary>The fake trainer, plus a memorization.json for runs that ask for the measures (one point per epoch and group).</summary>
    sealed class MeasuringExecutor : IRunExecutor
    {
        readonly FakeExecutor fake = new();

        public TrainSummary Execute(TrainConfig config, string runDir, bool resume, ITrainObserver? observer, CancellationToken cancellationToken)
        {
            var summary = fake.Execute(config, runDir, resume, observer, cancellationToken);
            if (config.MemorizationEpochList.Count > 0)
                File.WriteAllText(Path.Combine(runDir, MemorizationFile.FileName), Json.Serialize(new MemorizationFile
                {
                    Radius = CriticalSearch.Paper.Radius, Samples = config.MemorizationSamples,
                    Points = [.. config.MemorizationEpochList.SelectMany(e => new[] { new MemorizationPoint(e, "clean", 3, 0.1 * e, config.LabelNoise, 1), new MemorizationPoint(e, "corrupted", 2, 0.2 * e, 1, 1) })],
                }));
            return summary;
        }
    }

    [Fact]
    public void A_sweep_stores_each_runs_memorization_points_in_the_memorization_table()
    {
        var spec = SpecParser.Parse("""
            name: demo
            shared: { memorization_epochs: "5,1", memorization_samples: 40 }
            scales:
              s: { train_size: 20, epochs: 30, until_fit: true }
            grid:
              label_noise: [0, 0.5]
            """, "demo.yaml");
        Assert.All(spec.Expand("s"), r => Assert.Equal(("1,5", 40), (r.Config.MemorizationEpochs, r.Config.MemorizationSamples)));
        using var folder = new TempFolder();
        var db = folder["shatter.db"];
        using (var store = ResultsStore.Open(db))
            new Sweep(store, new MeasuringExecutor(), new SweepOptions { ResultsDir = folder.Path, PollInterval = TimeSpan.FromMilliseconds(10) })
                .Run(spec, "s", null, CancellationToken.None);
        IReadOnlyList<(string Hash, MemorizationPoint Point)> stored;
        using (var read = ResultsStore.OpenExisting(db)) stored = read.Memorization();
        Assert.Equal(8, stored.Count); // 2 runs × 2 epochs × 2 groups
        Assert.Equal(2, stored.Select(s => s.Hash).Distinct().Count());
        Assert.Contains(stored, s => s.Point is { Epoch: 5, Group: "corrupted", CriticalSampleRatio: 1.0 });
        Assert.Contains(stored, s => s.Point is { Group: "clean", LossSensitivity: 0.5 });
    }
}
