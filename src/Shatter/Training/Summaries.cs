using Shatter.Training.Rules;

namespace Shatter.Training;

/// <summary>summary.json of a finished loop.</summary>
static class Summaries
{
    /// <param name="last">The last row, remeasured where it was a running one.</param>
    /// <param name="wall">Wall seconds of the epoch loops, this process's and earlier ones'.</param>
    public static TrainSummary Of(FitLoop.Setup s, StoppingRules rules, TrainingState state, EpochMetrics last, string stop, double wall)
    {
        var data = s.Task.Summary;
        var divergence = rules.Divergence.Found;
        var drops = rules.Plateau.DropEpochs;
        return new TrainSummary
        {
            Parameters = s.Parameters, Task = s.Task.Name == "classification" ? null : s.Task.Name, // the paper's task is implied
            Epochs = state.Epoch, Steps = state.Step, StepsToFit = rules.Fit.StepsToFit, EpochsToFit = rules.Fit.EpochsToFit,
            FinalTrainAccuracy = last.TrainAccuracy, FinalTestAccuracy = last.TestAccuracy, FinalTrainLoss = last.TrainLoss, FinalTestLoss = last.TestLoss,
            BestTestAccuracy = rules.BestTest.Best, BestTestEpoch = rules.BestTest.Epoch, WallSeconds = wall,
            TrainSamplesPerSecond = wall > 0 ? state.Samples / wall : 0, FractionLabelsChanged = data.FractionLabelsChanged,
            FractionInputsChanged = data.FractionInputsChanged, LabelTransition = data.LabelTransition, LearningRate = s.Config.LearningRate!.Value,
            TrainSize = data.TrainSize, TestSize = data.TestSize, Threads = s.Threads, Device = s.Device.type.ToString().ToLowerInvariant(), StopReason = stop,
            Measures = s.Task.SummaryMeasures(last, rules.Fit.StepsToFit) is { Count: > 0 } measures ? new(measures.ToDictionary(), StringComparer.Ordinal) : null,
            DivergedEpoch = divergence?.Epoch, DivergedStep = divergence?.Step, PlateauDropEpochs = drops.Count > 0 ? [.. drops] : null,
            Notice = stop switch
            {
                "diverged" => divergence!.Sentence(),
                "stalled" => rules.Stall.Notice(s.Task.Score, last, drops.Count),
                _ => null,
            },
        };
    }
}
