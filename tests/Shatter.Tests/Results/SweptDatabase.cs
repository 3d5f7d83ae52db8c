using Shatter.Experiments;
using Shatter.Results;
using Shatter.Tests.Experiments;

namespace Shatter.Tests.Results;

/// <summary>
/// A results database in a fresh temp folder, filled by real sweeps with the trainer test double: spec
/// "demo" (randomization: true labels, label noise 0.5, random labels × seeds 1, 2; one run fails) and spec
/// "other" (weight decay on/off), so listing and export see two specs, different axes and every status.
/// </summary>
public sealed class SweptDatabase : IDisposable
{
    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "shatter-swept-" + Guid.NewGuid().ToString("N"));
    public string Db => Path.Combine(Dir, "shatter.db");

    const string Demo = """
        name: demo
        scales: { s: { train_size: 20, epochs: 30, until_fit: true } }
        grid:
          model: [mlp-1x512]
          randomization:
            - { name: true labels, label_noise: 0 }
            - { name: label noise 0.5, label_noise: 0.5 }
            - { name: random labels, label_noise: 1 }
          seed: [1, 2]
        """;

    const string Other = """
        name: other
        scales: { s: { train_size: 20, epochs: 3 } }
        grid:
          model: [mlp-3x512]
          weight_decay: [0, 0.0005]
        """;

    public SweptDatabase()
    {
        using var store = SqliteStore.Open(Db);
        var options = new SweepOptions { ResultsDir = Dir, PollInterval = TimeSpan.FromMilliseconds(10) };
        var failing = new FakeExecutor { FailWhen = c => c.LabelNoise == 1 && c.Seed == 2 };
        new Sweep(store, failing, options).Run(SpecParser.Parse(Demo, "demo.yaml"), "s", null, CancellationToken.None);
        new Sweep(store, new FakeExecutor(), options).Run(SpecParser.Parse(Other, "other.yaml"), "s", null, CancellationToken.None);
    }

    public void Dispose()
    {
        Scratch.Delete(Dir);
    }
}
