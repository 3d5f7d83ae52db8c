using Shatter.Training;

namespace Shatter.Experiments;

/// <summary>Progress of the run in flight, for the sweep's display (the trainer's observer callbacks).</summary>
public interface IRunObserver
{
    void OnStep(long step, int epoch, double loss);
    void OnEpoch(EpochMetrics metrics, int maxEpochs);
}
