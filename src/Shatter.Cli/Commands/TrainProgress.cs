using System.Globalization;
using Shatter.Training;
using Shatter.Training.Tasks;
using Spectre.Console;

namespace Shatter.Cli.Commands;

/// <summary>
/// Shows a run's progress: a live bar (epoch, loss, train and test score, ETA) on a terminal, plain
/// log lines (one per epoch) when output is redirected. The score is the task's (<see cref="TaskScore"/>): accuracy, R², …
/// </summary>
public static class TrainProgress
{
    public static TrainSummary Run(IAnsiConsole console, TrainConfig config, Func<ITrainObserver, TrainSummary> train)
    {
        var score = TrainingTasks.Of(config).Score;
        if (!console.Profile.Capabilities.Interactive)
            return train(new LogObserver(console, score));
        TrainSummary? result = null;
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"{Markup.Escape(config.Model)}", maxValue: config.Epochs);
                result = train(new BarObserver(task, score));
                task.Value = task.MaxValue;
            });
        return result!;
    }

    static string Describe(EpochMetrics m, TaskScore score) => string.Create(CultureInfo.InvariantCulture,
        $"epoch {m.Epoch,4}  step {m.Step,7}  lr {m.LearningRate:G3}  train loss {m.TrainLoss:F4} {score.Brief} {score.Show(m.TrainAccuracy)}  test loss {m.TestLoss:F4} {score.Brief} {score.Show(m.TestAccuracy)}  {m.Seconds:F1}s");

    sealed class LogObserver(IAnsiConsole console, TaskScore score) : ITrainObserver
    {
        public void OnStep(long step, int epoch, double loss) { }
        public void OnEpoch(EpochMetrics m, int maxEpochs) => console.Profile.Out.Writer.WriteLine(Describe(m, score)); // unwrapped log line
    }

    sealed class BarObserver(ProgressTask task, TaskScore score) : ITrainObserver
    {
        double _trainAcc, _testAcc;

        public void OnStep(long step, int epoch, double loss) =>
            task.Description = string.Create(CultureInfo.InvariantCulture, $"epoch {epoch} step {step} loss {loss:F3} | train {score.Brief} {score.Short(_trainAcc)} test {score.Short(_testAcc)}");

        public void OnEpoch(EpochMetrics m, int maxEpochs)
        {
            (_trainAcc, _testAcc) = (m.TrainAccuracy, m.TestAccuracy);
            task.Value = m.Epoch;
            task.Description = string.Create(CultureInfo.InvariantCulture, $"epoch {m.Epoch} | train {score.Brief} {score.Short(m.TrainAccuracy)} test {score.Short(m.TestAccuracy)}");
        }
    }
}
