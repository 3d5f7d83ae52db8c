namespace Shatter.Training.Rules;

/// <summary>
/// The rules of a run, each a small object with its own checkpointed state: what each row updates (in this order: the
/// best test score, the fit, the best training score, the plateau), the learning rate in force, and why the run ends
/// (asked in this order: diverged, fit, stalled, max-steps, epochs; fit and stalled only with --until-fit).
/// </summary>
sealed class StoppingRules
{
    readonly TrainConfig config;
    readonly IStoppingRule[] inOrder;

    public StoppingRules(TrainConfig config, ITrainingTask task)
    {
        this.config = config;
        Fit = new FitRule(task, config.UntilFit);
        Stall = new StallRule(config);
        Plateau = new PlateauRule(config.PlateauEpochsResolved);
        Steps = new StepLimit(config.MaxSteps);
        inOrder = [Divergence, Fit, Stall, Steps, new EpochLimit(config.Epochs)];
    }

    public BestTest BestTest { get; } = new();
    public FitRule Fit { get; }
    public StallRule Stall { get; }
    public PlateauRule Plateau { get; }
    public DivergenceRule Divergence { get; } = new();
    public StepLimit Steps { get; }

    /// <summary>The rate after <paramref name="samplesSeen"/> training samples: the schedule's, times the plateau cuts in force.</summary>
    public double RateAt(long samplesSeen) => Trainer.LearningRateAt(config, samplesSeen) * Plateau.Scale;

    public void Observe(EpochMetrics row)
    {
        BestTest.Observe(row);
        Fit.Observe(row);
        Stall.Observe(row, Plateau.Scale);
        Plateau.Observe(row, Fit.StepsToFit is not null, Stall.BestTrainEpoch);
    }

    /// <summary>Why the run ends now, or null while it goes on.</summary>
    public string? StopReason(RunProgress progress) => inOrder.FirstOrDefault(r => r.ShouldStop(progress))?.Reason;

    public CheckpointState SaveTo(CheckpointState state) => Plateau.SaveTo(Stall.SaveTo(Fit.SaveTo(BestTest.SaveTo(state))));

    public void RestoreFrom(CheckpointState state)
    {
        BestTest.RestoreFrom(state);
        Fit.RestoreFrom(state);
        Stall.RestoreFrom(state);
        Plateau.RestoreFrom(state);
    }
}
