using Shatter.Training.Rules;
using static TorchSharp.torch;

namespace Shatter.Training;

/// <summary>
/// The steps of one epoch: seeds its generators (restoring them where a checkpoint stopped inside it), lets the task
/// begin it, then takes the task's steps — the rate in force, backward, the optimizer step — until the epoch ends or
/// --max-steps cuts it; hands the steps' rates and losses to the callbacks and the divergence rule.
/// </summary>
sealed class EpochLoop : IDisposable
{
    /// <summary>Steps between two observer calls (reading a loss synchronises the device).</summary>
    const int ObserveEvery = 20;

    /// <summary>
    /// What an epoch's steps left: the loss of each of its steps in order (<paramref name="EpochLosses"/>; those a resumed
    /// checkpoint had taken first), the batch where --max-steps cut the epoch (−1: it ran to its end) and libtorch's default
    /// generator as seeded for the epoch (dropout; saved by a checkpoint inside it).
    /// </summary>
    public sealed record Steps(float[] EpochLosses, int CutAt, Generator Dropout);

    readonly FitLoop.Setup s;
    readonly StoppingRules rules;
    readonly TrainingState state;
    readonly PhaseClock phases;
    readonly ITrainObserver? observer;
    readonly CancellationToken cancellationToken;
    /// <summary>float (steps per epoch): each step's loss, copied on the device and read once per epoch.</summary>
    readonly Tensor stepLosses;
    readonly List<double> rates;
    readonly IReadOnlyList<ITrainCallback> callbacks;
    readonly TrainingContext context;

    public EpochLoop(FitLoop.Setup setup, StoppingRules rules, TrainingState state, PhaseClock phases, ITrainObserver? observer,
        IReadOnlyList<ITrainCallback> callbacks, TrainingContext context, CancellationToken cancellationToken)
    {
        (s, this.rules, this.state, this.phases, this.observer, this.cancellationToken) = (setup, rules, state, phases, observer, cancellationToken);
        (this.callbacks, this.context) = (callbacks, context);
        stepLosses = zeros(s.Task.StepsPerEpoch, device: s.Device);
        rates = new List<double>(s.Task.StepsPerEpoch);
    }

    public Steps Run(int epoch, EpochRandom random)
    {
        // Everything random in an epoch comes from generators seeded by (seed, epoch), so a resumed run draws exactly what
        // the uninterrupted one drew. (On CUDA dropout draws from the device's generator, which is not saved: there the rest
        // of a resumed epoch's dropout masks differ from the uninterrupted run's; on the CPU the resumption is exact.)
        var dropout = random.SeedDefault();
        s.Task.BeginEpoch(epoch, random);
        int skip = state.BatchesIntoEpoch; // > 0: the checkpoint is inside this epoch (a --max-steps stop)
        var before = state.EpochLossesBefore;
        if (skip > 0)
        {
            Checkpoint.LoadGenerators(s.Folder, random.Saved(dropout));
            (state.BatchesIntoEpoch, state.EpochLossesBefore) = (0, []);
        }
        s.Model.train();
        rates.Clear();
        long firstStep = state.Step + 1;
        int taken = 0, cutAt = -1;
        for (int batch = skip; batch < s.Task.StepsPerEpoch; batch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (rules.Steps.Reached(state.Step))
            {
                cutAt = batch;
                break;
            }
            Step(epoch, batch, taken++);
        }
        phases.Lap(TrainPhase.Steps);
        float[] losses;
        using (var copied = stepLosses.narrow(0, 0, taken).cpu())
            losses = copied.data<float>().ToArray();
        foreach (var c in callbacks) c.OnSteps(context, firstStep, epoch, rates, losses);
        phases.Lap(TrainPhase.Csv);
        rules.Divergence.CheckSteps(epoch, firstStep, rates, losses);
        return new Steps([.. before, .. losses], cutAt, dropout);
    }

    /// <summary>Step <paramref name="batch"/> of the epoch, in its own dispose scope; its loss goes to slot <paramref name="slot"/> of this process's losses.</summary>
    void Step(int epoch, int batch, int slot)
    {
        using var scope = NewDisposeScope();
        double lr = rules.RateAt(state.Samples);
        s.Optimizer.LearningRate = lr;
        s.Optimizer.ClearGrad();
        var step = s.Task.Step(s.Model, batch);
        step.Loss.backward();
        s.Optimizer.Step();
        stepLosses[slot].copy_(step.Loss.detach());
        rates.Add(lr);
        state.Step++;
        state.Samples += step.Samples;
        if (observer is not null && state.Step % ObserveEvery == 0) observer.OnStep(state.Step, epoch, step.Loss.item<float>());
    }

    public void Dispose() => stepLosses.Dispose();
}
