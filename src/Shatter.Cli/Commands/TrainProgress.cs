using System.Globalization;
using Shatter.Training;
using Spectre.Console;

namespace Shatter.Cli.Commands;

/// <summary>
/// Shows a run's progress: a live bar (epoch, loss, train and test accuracy, ETA) on a terminal, plain
/// log lines (one per epoch) when output is redirected.
/// </summary>
public static class TrainProgress
{
    public static TrainSummary Run(IAnsiConsole console, TrainConfig config, Func<ITrainObserver, TrainSummary> train)
    {
        if (!console.Profile.Capabilities.Interactive)
            return train(new LogObserver(console));
        TrainSummary? result = null;
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"{Markup.Escape(config.Model)}", maxValue: config.Epochs);
                result = train(new BarObserver(task));
                task.Value = task.MaxValue;
            });
        return result!;
    }

    static string Describe(EpochMetrics m) => string.Create(CultureInfo.InvariantCulture,
        $"epoch {m.Epoch,4}  step {m.Step,7}  lr {m.LearningRate:G3}  train loss {m.TrainLoss:F4} acc {m.TrainAccuracy:P2}  test loss {m.TestLoss:F4} acc {m.TestAccuracy:P2}  {m.Seconds:F1}s");

    sealed class LogObserver(IAnsiConsole console) : ITrainObserver
    {
        public void OnStep(long step, int epoch, double loss) { }
        public void OnEpoch(EpochMetrics m, int maxEpochs) => console.Profile.Out.Writer.WriteLine(Describe(m)); // unwrapped log line
    }

    sealed class BarObserver(ProgressTask task) : ITrainObserver
    {
        double _trainAcc, _testAcc;

        public void OnStep(long step, int epoch, double loss) =>
            task.Description = string.Create(CultureInfo.InvariantCulture, $"epoch {epoch} step {step} loss {loss:F3} | train {_trainAcc:P1} test {_testAcc:P1}");

        public void OnEpoch(EpochMetrics m, int maxEpochs)
        {
            (_trainAcc, _testAcc) = (m.TrainAccuracy, m.TestAccuracy);
            task.Value = m.Epoch;
            task.Description = string.Create(CultureInfo.InvariantCulture, $"epoch {m.Epoch} | train {m.TrainAccuracy:P1} test {m.TestAccuracy:P1}");
        }
    }
}
