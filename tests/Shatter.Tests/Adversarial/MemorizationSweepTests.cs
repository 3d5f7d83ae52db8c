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
    internal sealed class MeasuringExecutor : IRunExecutor
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
        var db = DatabaseAddress.Parse(folder["shatter.db"]);
        SweepAndCheck(db, folder.Path);
    }

    /// <summary>The demo spec swept into <paramref name="db"/> with memorization.json files: every point stored, read back.</summary>
    internal static void SweepAndCheck(DatabaseAddress db, string results)
    {
        var spec = SpecParser.Parse("""
            name: demo
            shared: { memorization_epochs: "5,1", memorization_samples: 40 }
            scales:
              s: { train_size: 20, epochs: 30, until_fit: true }
            grid:
              label_noise: [0, 0.5]
            """, "demo.yaml");
        using (var store = Stores.Open(db))
            new Sweep(store, new MeasuringExecutor(), new SweepOptions { ResultsDir = results, PollInterval = TimeSpan.FromMilliseconds(10) })
                .Run(spec, "s", null, CancellationToken.None);
        IReadOnlyList<(string Hash, MemorizationPoint Point)> stored;
        using (var read = Stores.OpenExisting(db)) stored = read.Memorization();
        Assert.Equal(8, stored.Count); // 2 runs × 2 epochs × 2 groups
        Assert.Equal(2, stored.Select(s => s.Hash).Distinct().Count());
        Assert.Contains(stored, s => s.Point is { Epoch: 5, Group: "corrupted", CriticalSampleRatio: 1.0 });
        Assert.Contains(stored, s => s.Point is { Group: "clean", LossSensitivity: 0.5 });
    }
}

/// <summary>The same on a sweep whose store is PostgreSQL (what workers serving a shared queue write).</summary>
[Collection(Shatter.Tests.Results.PostgresCollection.Name)]
public sealed class PostgresMemorizationSweepTests(Shatter.Tests.Results.PostgresServer server)
{
    [Fact]
    public void A_sweep_on_postgresql_stores_each_runs_memorization_points_too()
    {
        using var folder = new TempFolder();
        MemorizationSweepTests.SweepAndCheck(server.NewDatabase(), folder.Path);
    }
}
