using System.Globalization;
using Shatter.Corruptions;
using Shatter.Results;
using Shatter.Training;

namespace Shatter.Reporting;

/// <summary>
/// A stored run as the report sees it: its record (spec, grid point, status), parsed configuration and
/// summary, and its per-epoch and per-step metrics, loaded from the store on first use (analyses run on
/// hand-made runs in tests through <see cref="Of"/>).
/// </summary>
public sealed class ReportRun
{
    readonly Lazy<IReadOnlyList<EpochMetrics>> epochs;
    readonly Lazy<IReadOnlyList<StepRow>> steps;
    readonly Lazy<IReadOnlyList<ExampleRow>> examples;

    public ReportRun(RunRecord record, Func<IReadOnlyList<EpochMetrics>> epochs, Func<IReadOnlyList<StepRow>> steps, Func<IReadOnlyList<ExampleRow>> examples)
    {
        Record = record;
        Config = record.Config;
        Summary = record.Summary;
        this.epochs = new(epochs);
        this.steps = new(steps);
        this.examples = new(examples);
    }

    /// <summary>A run of <paramref name="spec"/> at grid <paramref name="point"/> with the given results (for tests and tools).</summary>
    public static ReportRun Of(string spec, IReadOnlyDictionary<string, string> point, TrainConfig config, TrainSummary? summary,
        IReadOnlyList<EpochMetrics>? epochs = null, IReadOnlyList<StepRow>? steps = null, int order = 0, string? hash = null)
    {
        var record = new RunRecord(hash ?? Experiments.RunIdentity.Hash(config), spec, "test", order, point, Json.Serialize(config),
            summary is null ? RunStatus.Queued : RunStatus.Done, null, null, null, summary is null ? 0 : 1, null,
            summary is null ? null : Json.Serialize(summary), null, null);
        return new ReportRun(record, () => epochs ?? [], () => steps ?? [], () => []);
    }

    public RunRecord Record { get; }
    public TrainConfig Config { get; }
    public TrainSummary? Summary { get; }
    public IReadOnlyList<EpochMetrics> Epochs => epochs.Value;
    public IReadOnlyList<StepRow> Steps => steps.Value;
    public IReadOnlyList<ExampleRow> Examples => examples.Value;

    public string Model => Config.Model;
    public bool Done => Record.Done && Summary is not null;
    public bool Fitted => Summary is { Fitted: true };

    /// <summary>The run's randomization: its grid label where the spec names one, else derived from the config.</summary>
    public string Randomization => Record.Point.GetValueOrDefault("randomization") ?? Derived(Config);

    /// <summary>Chance accuracy of the run's dataset: 1 / classes (its label transition's side, else the catalog's count).</summary>
    public double ChanceAccuracy => 1.0 / (Summary?.LabelTransition is { Length: > 1 } t ? t.Length : Classes(Config.Dataset)); // the run's own classes where it recorded them

    /// <summary>Classes of a dataset of the catalog (10 where unknown, as for every dataset the paper uses).</summary>
    public static int Classes(string dataset) => dataset switch
    {
        "cifar100" => 100,
        "cifar100-coarse" => 20,
        _ => 10,
    };

    static string Derived(TrainConfig c) => c.Inputs switch
    {
        InputMode.Shuffled => "shuffled pixels",
        InputMode.Random => "random pixels",
        InputMode.Gaussian => "gaussian",
        InputMode.ShuffledTokens => "shuffled tokens",
        InputMode.RandomTokens => "random tokens",
        _ => c.LabelNoise switch { 0 => "true labels", 1 => "random labels", var p => $"label noise {p.ToString(CultureInfo.InvariantCulture)}" },
    };
}
