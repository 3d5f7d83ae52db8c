using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Shatter.Experiments;
using Shatter.Training;

namespace Shatter.Tests.Experiments;

/// <summary>
/// Test double of the trainer for sweep and report tests: writes the trainer's artifacts with synthetic,
/// deterministic numbers (time to fit grows with label noise, test accuracy falls with it; the first
/// corrupted examples are fitted late), records every call, and fails the runs it is told to fail.
/// The real trainer is exercised by the sweep kill test and the dry-run tests.
/// </summary>
public sealed class FakeExecutor : IRunExecutor
{
    public ConcurrentQueue<(TrainConfig Config, bool Resume)> Calls { get; } = new();
    public Func<TrainConfig, bool> FailWhen { get; set; } = _ => false;
    public Action<TrainConfig>? Before { get; set; }

    public TrainSummary Execute(TrainConfig config, string runDir, bool resume, ITrainObserver? observer, CancellationToken cancellationToken)
    {
        Calls.Enqueue((config, resume));
        Before?.Invoke(config);
        cancellationToken.ThrowIfCancellationRequested();
        // like the trainer, write run.json first: a failed attempt leaves a folder to resume from
        Directory.CreateDirectory(runDir);
        File.WriteAllText(Path.Combine(runDir, "run.json"), """{ "versions": { "shatter": "test" } }""");
        if (FailWhen(config)) throw new InvalidOperationException("synthetic failure");
        var inv = CultureInfo.InvariantCulture;
        double p = config.Inputs == Shatter.Corruptions.InputMode.True ? config.LabelNoise : 0.9;
        int epochsToFit = 5 + (int)Math.Round(10 * p), stepsPerEpoch = 10;
        int epochs = Math.Min(config.Epochs, epochsToFit);
        double testAcc = 0.85 - 0.75 * p + 0.01 * (config.Seed % 3);
        var ep = new StringBuilder("epoch,step,lr,train_loss,train_accuracy,test_loss,test_accuracy,seconds\n");
        var steps = new StringBuilder("step,epoch,lr,loss\n");
        for (int e = 0; e <= epochs; e++)
        {
            double train = Math.Min(1, 0.1 + 0.9 * e / epochsToFit);
            ep.Append(inv, $"{e},{e * stepsPerEpoch},0.01,{2.3 * (1 - train) + 1e-3},{train},{1.5 + p},{testAcc * Math.Min(1, 0.2 + e / 4.0)},{e * 0.1}\n");
            observer?.OnEpoch(new EpochMetrics(e, e * stepsPerEpoch, 0.01, 2.3 * (1 - train), train, 1.5, testAcc, e * 0.1), config.Epochs);
            if (e > 0)
                for (int s = 1; s <= stepsPerEpoch; s++)
                {
                    long step = (e - 1) * stepsPerEpoch + s;
                    steps.Append(inv, $"{step},{e},0.01,{2.3 * Math.Exp(-step / (double)(epochsToFit * stepsPerEpoch) * 3)}\n");
                }
        }
        int n = Math.Max(20, config.TrainSize);
        var examples = new StringBuilder("index,label_changed,input_changed,first_fit_epoch\n");
        for (int i = 0; i < n; i++)
        {
            bool changed = i < p * n;
            examples.Append(inv, $"{i},{(changed ? 1 : 0)},0,{(changed ? epochsToFit - 1 : 1 + i % 3)}\n");
        }
        var summary = new TrainSummary
        {
            Parameters = 1000, Epochs = epochs, Steps = epochs * stepsPerEpoch,
            StepsToFit = epochs >= epochsToFit ? epochsToFit * stepsPerEpoch : null, EpochsToFit = epochs >= epochsToFit ? epochsToFit : null,
            FinalTrainAccuracy = Math.Min(1, 0.1 + 0.9 * epochs / epochsToFit), FinalTestAccuracy = testAcc, BestTestAccuracy = testAcc + 0.01,
            BestTestEpoch = epochs - 1, WallSeconds = epochs * 0.1, TrainSize = n, Threads = 1, StopReason = epochs >= epochsToFit ? "fit" : "epochs",
        };
        File.WriteAllText(Path.Combine(runDir, "epochs.csv"), ep.ToString());
        File.WriteAllText(Path.Combine(runDir, "steps.csv"), steps.ToString());
        File.WriteAllText(Path.Combine(runDir, "examples.csv"), examples.ToString());
        File.WriteAllText(Path.Combine(runDir, "summary.json"), Json.Serialize(summary));
        return summary;
    }
}
