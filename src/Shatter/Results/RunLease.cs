namespace Shatter.Results;

/// <summary>A running run's lease: who holds it and how many seconds ago it was last renewed.</summary>
public sealed record RunLease(string Hash, string Worker, double SecondsSinceHeartbeat);
