using Shatter.Training;

namespace Shatter.Pipelines;

/// <summary>
/// The probes every front end plugs into the trainer (train, sweep, worker, reproduce), each made fresh per run: the
/// memorization probe (--memorization-epochs) and the autoencoders' attractor probe. They live above Training
/// (Adversarial, Measures), so the trainer never imports them; a new probe is one line here.
/// </summary>
public static class TrainingProbes
{
    public static IReadOnlyList<Func<ITrainCallback>> Makers { get; } =
        [() => new Adversarial.MemorizationProbe(), () => new Measures.Attractors.AttractorProbe()];
}
