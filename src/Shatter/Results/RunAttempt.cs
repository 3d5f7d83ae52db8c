namespace Shatter.Results;

/// <summary>
/// One attempt at a run: its number (1, 2, … over the run's whole life, across sweeps), the worker, when it
/// started and ended, how it ended (<see cref="AttemptOutcome"/>) and its error.
/// </summary>
public sealed record RunAttempt(string Hash, int Attempt, string Worker, string StartedAt, string? FinishedAt, string Outcome, string? Error);

/// <summary>How an attempt ended: done, failed (an exception), interrupted (cancelled), lost (its worker died
/// or went silent and another took the run over), or still running.</summary>
public static class AttemptOutcome
{
    public const string Running = "running", Done = "done", Failed = "failed", Interrupted = "interrupted", Lost = "lost";
}
