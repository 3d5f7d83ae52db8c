namespace Shatter.Training;

/// <summary>
/// The trainer's writer of the run folder, a callback like any other: epochs.csv, steps.csv and the TensorBoard events
/// (started fresh, or cut back to the checkpoint a run resumes from), the initial and final weights, and the task's files.
/// </summary>
/// <param name="resumedFrom">The checkpoint's epoch and step when resuming; null for a fresh run.</param>
sealed class RunLog((int Epoch, long Step)? resumedFrom) : ITrainCallback
{
    public void OnRunStart(TrainingContext run)
    {
        if (resumedFrom is { } at)
        {
            run.Folder.TruncateCsvs(at.Epoch, at.Step, run.Task.Score.Tag);
            return;
        }
        run.Folder.StartCsvs(run.Task.Score.Tag);
        RunWeights.Save(run.Model, run.Folder.InitialWeights); // epoch 0: what distance-from-initialisation measures compare with
    }

    public void OnSteps(TrainingContext run, long firstStep, int epoch, IReadOnlyList<double> rates, float[] losses) =>
        run.Folder.AppendSteps(firstStep, epoch, rates, losses);

    public void OnEpoch(TrainingContext run, EpochMetrics row, bool complete) => run.Folder.AppendEpoch(row);

    public void OnRunEnd(TrainingContext run)
    {
        RunWeights.Save(run.Model, run.Folder.FinalWeights);
        run.Task.WriteResults(run.Folder);
    }
}
