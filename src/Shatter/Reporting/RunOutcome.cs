using Shatter.Training;

namespace Shatter.Reporting;

/// <summary>
/// How a finished run ended, in the words every place uses (sweep progress, findings, run tables):
/// "fitted in 12 epochs", "did not fit within the cap of 100 epochs (98.3% training accuracy)", ... — the score in the
/// run's task's terms ("0.855 training R²", "40.5% training success rate").
/// </summary>
public static class RunOutcome
{
    public static string Describe(TrainConfig config, TrainSummary summary)
    {
        var score = Training.Tasks.TrainingTasks.ScoreOf(summary.Task);
        var train = $"{score.Short(summary.FinalTrainAccuracy)} training {score.Name}";
        if (summary.Fitted) return $"fitted in {summary.EpochsToFit} epochs";
        return summary.StopReason switch
        {
            "epochs" when config.UntilFit => $"did not fit within the cap of {config.Epochs} epochs ({train})",
            "epochs" => $"trained its {summary.Epochs} epochs ({train})",
            "max-steps" => $"did not fit within the cap of {config.MaxSteps} steps ({train})",
            var reason => $"stopped ({reason}) after {summary.Epochs} epochs ({train})",
        };
    }

    /// <summary>"98.3%": one decimal, invariant culture (<see cref="TaskScore.Percent"/>).</summary>
    public static string Percent(double fraction) => TaskScore.Percent(fraction);
}
