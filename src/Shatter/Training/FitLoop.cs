using System.Diagnostics;
using System.Text.Json;
using Shatter.Training.Rules;
using static TorchSharp.torch;

namespace Shatter.Training;

/// <summary>
/// The loop of a run, and only the loop: epoch 0 (or the checkpoint it resumes), then epochs until a rule ends the run,
/// each trained by <see cref="EpochLoop"/> and ended here by its evaluation, its row and its checkpoint; then the final
/// checkpoint, the task's remeasurement, the summary and the profile. What the rows are is the task's, when to stop the
/// rules', what is written the callbacks'.
/// </summary>
sealed class FitLoop : IDisposable
{
    /// <summary>The objects a run set up, which the trainer owns and disposes.</summary>
    public sealed record Setup(TrainConfig Config, RunFolder Folder, ITrainingTask Task, nn.Module<Tensor, Tensor> Model, Sgd Optimizer,
        Device Device, int Threads, long Parameters, string Identity);

    readonly Setup s;
    readonly TrainerOptions options;
    readonly PhaseClock phases;
    readonly StoppingRules rules;
    readonly TrainingState state;
    readonly int? resumedEpoch;
    readonly List<ITrainCallback> callbacks;
    readonly TrainingContext context;
    readonly EpochLoop epochLoop;
    readonly Stopwatch clock = new();
    long lastCheckpointAt;
    bool lastCheckpointed;

    public FitLoop(Setup setup, TrainerOptions options, PhaseClock phases, CheckpointState? checkpoint, CancellationToken cancellationToken)
    {
        (s, this.options, this.phases) = (setup, options, phases);
        rules = new StoppingRules(s.Config, s.Task);
        state = new TrainingState(rules, s.Task, s.Identity);
        if (checkpoint is not null) state.RestoreFrom(checkpoint);
        resumedEpoch = checkpoint?.Epoch;
        // the caller's callbacks (probes) first, then the run folder's writers, then the progress display
        callbacks = [.. options.Callbacks, new RunLog(checkpoint is null ? null : (checkpoint.Epoch, checkpoint.Step)), .. ProgressOf(options.Observer)];
        context = new TrainingContext(s.Config, s.Folder, s.Task, s.Model, s.Device, resumedEpoch, OffTheClock);
        epochLoop = new EpochLoop(s, rules, state, phases, options.Observer, callbacks, context, cancellationToken);
    }

    IEnumerable<ITrainCallback> ProgressOf(ITrainObserver? observer) => observer is null ? [] : [new ProgressCallback(observer, s.Config.Epochs)];

    double Elapsed() => state.ElapsedBefore + clock.Elapsed.TotalSeconds;

    void OffTheClock(Action work)
    {
        bool running = clock.IsRunning;
        phases.Lap(running ? TrainPhase.Csv : TrainPhase.Setup); // what came before: the epoch's row, or the set-up and epoch 0
        clock.Stop();
        try
        {
            work();
        }
        finally
        {
            if (running) clock.Start();
            phases.Lap(TrainPhase.Other);
        }
    }

    public TrainSummary Run()
    {
        foreach (var c in callbacks) c.OnRunStart(context);
        if (resumedEpoch is null)
        {
            // epoch 0: the model at initialisation (its time is set-up time)
            var scores = s.Task.Evaluate(s.Model, Evaluation.Measured(0, _ => { }));
            Record(Row(0, Trainer.LearningRateAt(s.Config, 0), 0, scores), complete: true);
        }
        clock.Start(); // wall_seconds: the epoch loop (training and its evaluations), not the set-up or epoch 0
        phases.Lap(TrainPhase.Setup);
        while (rules.StopReason(state.Progress) is null)
            RunEpoch(state.Epoch + 1);
        return Finish(rules.StopReason(state.Progress)!);
    }

    EpochMetrics Row(int epoch, double rate, double seconds, Scores x) =>
        new(epoch, state.Step, rate, x.TrainLoss, x.TrainScore, x.TestLoss, x.TestScore, seconds);

    /// <summary>One epoch: its steps, then (inside a dispose scope that ends with it) its evaluation, row and checkpoint.</summary>
    void RunEpoch(int epoch)
    {
        using var epochScope = NewDisposeScope(); // whatever an epoch allocates dies with it
        using var random = new EpochRandom(s.Config.Seed, epoch);
        var steps = epochLoop.Run(epoch, random);
        lastCheckpointed = false;
        bool diverged = rules.Divergence.Found is not null;
        double rate = rules.RateAt(state.Samples), seconds = Elapsed();
        Scores scores;
        if (steps.CutAt >= 0)
        {
            // Stopped inside the epoch by --max-steps: checkpoint this exact step (weights, momentum, generators; the
            // counters and record as at the last epoch's end), so --resume finishes the epoch as the uninterrupted run
            // does. The stopped run records an evaluation at this step, which leaves the record alone.
            if (!diverged) SaveCheckpoint(steps.CutAt, random.Saved(steps.Dropout), steps.EpochLosses);
            scores = s.Task.Evaluate(s.Model, new Evaluation(epoch, Complete: false, MayUseRunning: false, steps.EpochLosses, phases.Lap));
        }
        else
        {
            // running numbers cannot stand for a row that may end the run by the epoch cap, nor a diverged one (a fit is the task's to see)
            scores = s.Task.Evaluate(s.Model, new Evaluation(epoch, Complete: true, MayUseRunning: !diverged && epoch < s.Config.Epochs, steps.EpochLosses, phases.Lap));
            if (scores.Running) state.ScreenedEpochs++;
        }
        var row = Row(epoch, rate, seconds, scores);
        Record(row, complete: steps.CutAt < 0);
        phases.Lap(TrainPhase.Csv);
        rules.Divergence.CheckRow(row);
        // a diverged run keeps its last finite checkpoint; others checkpoint after the first epoch, then every
        // CheckpointEverySeconds (and once more after the loop if the last epoch was not)
        bool due = phases.CheckpointsWritten == 0 || options.CheckpointClock.GetElapsedTime(lastCheckpointAt).TotalSeconds >= Trainer.CheckpointEverySeconds;
        if (rules.Divergence.Found is null && steps.CutAt < 0 && due) SaveCheckpoint(0, null, null);
    }

    void Record(EpochMetrics row, bool complete)
    {
        (state.Last, state.Epoch) = (row, row.Epoch);
        foreach (var c in callbacks) c.OnEpoch(context, row, complete);
        rules.Observe(row);
    }

    /// <summary>A checkpoint of the state as it is; inside an epoch (<paramref name="batchesIntoEpoch"/> &gt; 0) with its generators and step losses.</summary>
    void SaveCheckpoint(int batchesIntoEpoch, IReadOnlyDictionary<string, Generator>? generators, float[]? epochLosses)
    {
        Checkpoint.Save(s.Folder, state.Snapshot(batchesIntoEpoch, epochLosses, Elapsed()), s.Model, s.Optimizer, generators);
        phases.Lap(TrainPhase.Checkpoints);
        phases.CheckpointsWritten++;
        lastCheckpointAt = options.CheckpointClock.GetTimestamp();
        lastCheckpointed = true;
    }

    TrainSummary Finish(string stop)
    {
        var divergence = rules.Divergence.Found;
        // the last epoch fell between two timed checkpoints: save it, so the folder ends with the final model and the state
        // the uninterrupted run has here (a screened epoch's record, should --resume continue a --max-steps stop)
        if (divergence is null && !lastCheckpointed && state.Epoch > (resumedEpoch ?? 0)) SaveCheckpoint(0, null, null);
        var last = state.Last!;
        // the run ended on a running row: its summary and per-example record are the model's own (rows and checkpoint keep the row)
        if (divergence is null && s.Task.Remeasure(s.Model, Evaluation.Measured(last.Epoch, phases.Lap)) is { } own)
            last = last with { TrainLoss = own.TrainLoss, TrainAccuracy = own.TrainScore, TestLoss = own.TestLoss, TestAccuracy = own.TestScore };
        double wall = Elapsed();
        foreach (var c in callbacks) c.OnRunEnd(context);
        var summary = Summaries.Of(s, rules, state, last, stop, wall);
        if (context.SummaryFields.Count > 0) summary = summary with { Fields = new(context.SummaryFields, StringComparer.Ordinal) };
        phases.Lap(TrainPhase.Other);
        AtomicFile.WriteAllText(s.Folder.ProfileJson, JsonSerializer.Serialize(phases.Profile(state.Epoch - (resumedEpoch ?? 0), state.ScreenedEpochs, s.Threads), Json.Options));
        AtomicFile.WriteAllText(s.Folder.SummaryJson, JsonSerializer.Serialize(summary, Json.Options));
        return summary;
    }

    public void Dispose() => epochLoop.Dispose();
}
