namespace Shatter.Results;

/// <summary>
/// A running run's lease: who holds it, how many seconds ago it was last renewed, and the holder's lease length (null:
/// claimed before leases were stored with the claim).
/// </summary>
public sealed record RunLease(string Hash, string Worker, double SecondsSinceHeartbeat, double? LeaseSeconds = null)
{
    /// <summary>Alive: renewed within its holder's lease (or within <paramref name="fallback"/> when the holder's is not stored).</summary>
    public bool Alive(TimeSpan fallback) => SecondsSinceHeartbeat < (LeaseSeconds ?? fallback.TotalSeconds);
}
