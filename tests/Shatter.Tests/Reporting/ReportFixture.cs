using Shatter.Experiments;
using Shatter.Results;
using Shatter.Tests.Experiments;

namespace Shatter.Tests.Reporting;

/// <summary>
/// A results database filled by the trainer test double for specs named like the paper's (figure1 with
/// two models and two seeds, table1, figure2), and the report rendered from it once for all report tests.
/// </summary>
public sealed class ReportFixture : IDisposable
{
    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "shatter-report-" + Guid.NewGuid().ToString("N"));
    public string Db => Path.Combine(Dir, "shatter.db");
    public string Out => Path.Combine(Dir, "report");
    public Shatter.Reporting.ReportOutcome Outcome { get; }

    const string Figure1 = """
        name: figure1
        scales: { s: { train_size: 40, epochs: 40, until_fit: true } }
        grid:
          model: [mlp-1x512, mlp-3x512]
          randomization:
            - { name: true labels, label_noise: 0 }
            - { name: label noise 0.5, label_noise: 0.5 }
            - { name: random labels, label_noise: 1 }
            - { name: gaussian, inputs: gaussian }
          seed: [1, 2]
        """;

    const string Table1 = """
        name: table1
        scales: { s: { train_size: 40, epochs: 40 } }
        grid:
          model: [mlp-1x512]
          regularization:
            - { name: weight decay, weight_decay: 0.0005 }
            - { name: none }
            - { name: random labels, label_noise: 1 }
        """;

    const string Figure2 = """
        name: figure2
        scales: { s: { train_size: 40, epochs: 8 } }
        grid:
          model: [inception, inception-nobn]
        """;

    public ReportFixture()
    {
        using var store = SqliteStore.Open(Db);
        var options = new SweepOptions { ResultsDir = Dir };
        foreach (var yaml in new[] { Figure1, Table1, Figure2 })
            new Sweep(store, new FakeExecutor(), options).Run(SpecParser.Parse(yaml, "test.yaml"), "s", null, CancellationToken.None);
        // The theory commands save their results beside the database; the report picks them up as its own section.
        foreach (var args in new[]
        {
            new[] { "kernel", "--train-size", "200", "--test-size", "200", "--label-noise-sweep", "0,1", "--threads", "1", "--report", Dir },
            new[] { "expressivity", "--n", "100", "--d", "20", "--threads", "1", "--report", Dir },
        })
        {
            var r = Cli.CliRunner.Run(args);
            if (r.ExitCode != 0) throw new InvalidOperationException($"shatter {string.Join(' ', args)} failed: {r.Error}");
        }
        Outcome = Shatter.Reporting.ReportBuilder.Build(store, Out);
    }

    public void Dispose()
    {
        Scratch.Delete(Dir);
    }
}
