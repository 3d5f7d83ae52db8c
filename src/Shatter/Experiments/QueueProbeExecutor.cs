using Shatter.Training;

namespace Shatter.Experiments;

/// <summary>
/// For the queue benchmark only (<c>bench/queue.sh</c>, <c>shatter worker --executor none</c>): trains nothing, and
/// leaves the smallest run folder the store reads (summary.json with stop reason "queue-benchmark", an epochs.csv of
/// epoch 0), so the benchmark times claiming, heartbeating and completing runs, not training them.
/// </summary>
public sealed class QueueProbeExecutor : IRunExecutor
{
    public const string StopReason = "queue-benchmark";

    public TrainSummary Execute(TrainConfig config, string runDir, bool resume, ITrainObserver? observer, CancellationToken cancellationToken)
    {
        var summary = new TrainSummary { StopReason = StopReason };
        AtomicFile.WriteAllText(Path.Combine(runDir, "summary.json"), Json.Serialize(summary));
        AtomicFile.WriteAllText(Path.Combine(runDir, "epochs.csv"),
            "epoch,step,lr,train_loss,train_accuracy,test_loss,test_accuracy,seconds\n0,0,0,0,0,0,0,0\n");
        return summary;
    }
}
