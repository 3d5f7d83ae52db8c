namespace Shatter.Tests.Training;

/// <summary>
/// Tests that compare runs bit for bit. libtorch's default generator (weight initialisation, dropout)
/// is process-wide, so they run alone: another test drawing from it in parallel would change their
/// stream. A CLI run or a sweep worker trains one run per process and needs no such care.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTorchRandom
{
    public const string Name = "serial: torch's global generator";
}
