namespace Shatter.Training;

/// <summary>The phases of a run's wall time in profile.json (<see cref="TrainProfile"/>).</summary>
public enum TrainPhase
{
    Setup,
    Steps,
    EvaluateTrain,
    EvaluateTest,
    Csv,
    Checkpoints,
    Other,
}
