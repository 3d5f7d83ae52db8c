namespace Shatter.Training;

/// <summary>
/// profile.json of a run: where its wall time went, measured with stopwatches around each phase (libtorch
/// runs synchronously on the CPU, so each phase's time is its own). <see cref="Setup"/>: data preparation,
/// model and optimizer, epoch-0 evaluation; <see cref="Steps"/>: the optimisation steps; <see cref="EvaluateTrain"/>
/// and <see cref="EvaluateTest"/>: the per-epoch passes over the whole training and test sets (the training set's
/// screen included);
/// <see cref="Csv"/>: steps.csv and epochs.csv; <see cref="Checkpoints"/>: writing them; <see cref="Finish"/>:
/// examples.csv and summary.json. Seconds; <see cref="ProcessCpuSeconds"/> is the process's CPU time over the
/// run (user + system, all threads), which shows how much of the wall time the machine actually gave it.
/// </summary>
public sealed record TrainProfile
{
    public double Setup { get; init; }
    public double Steps { get; init; }
    public double EvaluateTrain { get; init; }
    public double EvaluateTest { get; init; }
    public double Csv { get; init; }
    public double Checkpoints { get; init; }
    public double Finish { get; init; }
    public double Total { get; init; }
    public double ProcessCpuSeconds { get; init; }
    public int Epochs { get; init; }
    public int CheckpointsWritten { get; init; }
    /// <summary>
    /// Epochs whose whole-training-set pass the until-fit screen skipped (ClassificationTask.Running): their train columns are running values.
    /// Counted over the whole run (a resumed run adds its checkpoint's count), unlike the times and <see cref="Epochs"/>, which are this process's.
    /// </summary>
    public int ScreenedEpochs { get; init; }
    public int Threads { get; init; }
}
