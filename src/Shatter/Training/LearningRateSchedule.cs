namespace Shatter.Training;

/// <summary>How a run's learning rate falls from its initial value lr0 (docs/schedules.md).</summary>
public enum LearningRateSchedule
{
    /// <summary>The paper's: lr0 · decay^⌊samples / decay_every⌋, for ever.</summary>
    Paper,
    /// <summary>
    /// The paper's decay until the rate reaches lr0 · <see cref="TrainConfig.FloorFraction"/>, constant from then
    /// on: the default for until-fit runs, which the paper's schedule leaves a few examples short of fitting.
    /// </summary>
    Floor,
}
