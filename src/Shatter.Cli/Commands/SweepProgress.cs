using System.Diagnostics;
using System.Globalization;
using Shatter.Experiments;
using Shatter.Results;
using Shatter.Training;
using Shatter.Training.Tasks;
using Spectre.Console;

namespace Shatter.Cli.Commands;

/// <summary>
/// Shows a sweep: on a terminal, a live display (runs done of total with an ETA, and the current run's
/// epoch and score: accuracy, R², success rate, …); when output is redirected, plain log lines (run started, every tenth epoch, run
/// finished with its result and the ETA). The ETA assumes the remaining runs take as long as the finished
/// ones did on average.
/// </summary>
public sealed class SweepProgress : ISweepListener
{
    readonly IAnsiConsole console;
    readonly int workers;
    readonly Stopwatch clock = Stopwatch.StartNew();
    readonly List<double> runSeconds = [];
    ProgressTask? overall, current;
    string currentName = "";
    TaskScore score = TaskScore.Accuracy;   // what the current run's score columns hold
    int done, total;

    SweepProgress(IAnsiConsole console, int workers)
    {
        this.console = console;
        this.workers = workers;
    }

    /// <summary>Runs <paramref name="sweep"/> under a progress display fitting the console.</summary>
    public static SweepOutcome Run(IAnsiConsole console, int workers, Func<ISweepListener, SweepOutcome> sweep)
    {
        var progress = new SweepProgress(console, workers);
        if (!console.Profile.Capabilities.Interactive) return sweep(progress);
        SweepOutcome? outcome = null;
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                progress.overall = ctx.AddTask("runs", maxValue: 1);
                progress.current = ctx.AddTask("waiting for a run", maxValue: 1);
                outcome = sweep(progress);
                progress.overall.Value = progress.overall.MaxValue;
                progress.current.Description = "sweep finished";
                progress.current.Value = progress.current.MaxValue;
            });
        return outcome!;
    }

    string Eta()
    {
        int left = total - done;
        if (left <= 0) return "done";
        if (runSeconds.Count == 0) return "ETA after the first run";
        var seconds = runSeconds.Average() * left / Math.Max(1, workers);
        return "ETA " + TimeSpan.FromSeconds(Math.Round(seconds)).ToString(seconds >= 3600 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture);
    }

    void UpdateOverall()
    {
        if (overall is null) return;
        overall.MaxValue = Math.Max(1, total);
        overall.Value = done;
        overall.Description = Markup.Escape($"runs {done}/{total} done · {Eta()} · {clock.Elapsed:h\\:mm\\:ss} elapsed");
    }

    void Log(string line) => console.Profile.Out.Writer.WriteLine(line);

    public void RunStarted(RunRecord run, bool resume, int done, int total)
    {
        (this.done, this.total) = (done, total);
        currentName = $"{run.Hash[..8]} {Sweep.Describe(run)}";
        score = TrainingTasks.Of(run.Config).Score;
        if (current is null)
        {
            Log($"[{done}/{total}] {(resume ? "resume" : "start")} {run.Hash} ({Sweep.Describe(run)})");
            return;
        }
        UpdateOverall();
        current.MaxValue = Math.Max(1, run.Config.Epochs);
        current.Value = 0;
        current.Description = Markup.Escape($"{currentName}{(resume ? " (resumed)" : "")}");
    }

    public void OnStep(long step, int epoch, double loss)
    {
        if (current is not null)
            current.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{currentName} · epoch {epoch} step {step} loss {loss:F3}"));
    }

    public void OnEpoch(EpochMetrics m, int maxEpochs)
    {
        if (current is null)
        {
            if (m.Epoch % 10 == 0)
                Log(string.Create(CultureInfo.InvariantCulture, $"    epoch {m.Epoch}/{maxEpochs}  train {score.Brief} {score.Short(m.TrainAccuracy)}  test {score.Brief} {score.Short(m.TestAccuracy)}  loss {m.TrainLoss:F4}"));
            return;
        }
        current.MaxValue = Math.Max(1, maxEpochs);
        current.Value = m.Epoch;
        current.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{currentName} · epoch {m.Epoch} · train {score.Brief} {score.Short(m.TrainAccuracy)} test {score.Short(m.TestAccuracy)}"));
    }

    public void RunFinished(RunRecord run, TrainSummary? summary, string? error, int done, int total)
    {
        (this.done, this.total) = (done, total);
        if (summary is not null) runSeconds.Add(summary.WallSeconds);
        var finished = TrainingTasks.Of(run.Config).Score;
        var result = summary is null ? $"FAILED: {error}"
            : string.Create(CultureInfo.InvariantCulture, $"{Shatter.Reporting.RunOutcome.Describe(run.Config, summary)}, test {finished.Brief} {finished.Short(summary.FinalTestAccuracy)}, {summary.WallSeconds:F0} s");
        if (current is null)
        {
            Log($"[{done}/{total}] {(summary is null ? "failed" : "done")} {run.Hash} ({Sweep.Describe(run)}): {result}; {Eta()}");
            return;
        }
        UpdateOverall();
        console.MarkupLine(Markup.Escape($"{(summary is null ? "✗" : "✓")} {currentName}: {result}"));
    }

    public void RunRetrying(RunRecord run, int attempt, string error)
    {
        var line = $"attempt {attempt} of {run.Hash} ({Sweep.Describe(run)}) failed: {error}; trying again from its checkpoint";
        if (current is null) Log(line);
        else console.MarkupLine(Markup.Escape($"↻ {line}"));
    }

    public void Waiting(int elsewhere, int done, int total)
    {
        (this.done, this.total) = (done, total);
        if (current is null) return;
        UpdateOverall();
        current.Description = Markup.Escape($"waiting for {elsewhere} run(s) in other workers");
    }
}
