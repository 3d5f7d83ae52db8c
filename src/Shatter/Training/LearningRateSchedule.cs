namespace Shatter.Training;

/// <summary>How a run's learning rate falls from its initial value lr0 (docs/schedules.md).</summary>
public enum LearningRateSchedule
{
    /// <summary>The paper's: lr0 · decay^⌊samples / decay_every⌋, for ever.</summary>
    Paper,
    /// <summary>
    /// lr0 throughout (decay and decay_every unused): the default for until-fit runs, which the paper's
    /// never-ending decay can leave a few examples short of fitting for hundreds of epochs.
    /// </summary>
    Constant,
}
