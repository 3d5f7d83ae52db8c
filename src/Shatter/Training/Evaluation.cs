namespace Shatter.Training;

/// <summary>
/// What the trainer tells a task about an evaluation. <see cref="Epoch"/>: 0 at initialisation, else the epoch just
/// trained. <see cref="Complete"/>: every step of the epoch ran (false for a --max-steps stop inside an epoch, whose
/// evaluation must leave the per-example record as the last complete epoch left it). <see cref="MayUseRunning"/>: the
/// row may hold running training numbers (false when it may end the run by the epoch cap, or the run diverged).
/// <see cref="StepLosses"/>: the loss of each step of the epoch, in order (a resumed epoch's first ones from its checkpoint). <see cref="Lap"/> charges
/// the time since the previous lap to a phase of profile.json.
/// </summary>
public sealed record Evaluation(int Epoch, bool Complete, bool MayUseRunning, float[] StepLosses, Action<TrainPhase> Lap)
{
    /// <summary>An evaluation outside the loop (at initialisation, or a re-measurement at the end).</summary>
    public static Evaluation Measured(int epoch, Action<TrainPhase> lap) => new(epoch, true, false, [], lap);
}
