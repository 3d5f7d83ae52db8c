namespace Shatter.Results;

/// <summary>The states of a run in the store: queued → running → done, or failed (retried by the next sweep).</summary>
public static class RunStatus
{
    public const string Queued = "queued", Running = "running", Done = "done", Failed = "failed";
}
