using System.Diagnostics;

namespace Shatter.Training;

/// <summary>Stopwatch laps charged to the phases of <see cref="TrainProfile"/>.</summary>
sealed class PhaseClock
{
    readonly Stopwatch watch = Stopwatch.StartNew();
    readonly TimeSpan cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
    readonly double[] seconds = new double[Enum.GetValues<TrainPhase>().Length];
    double lapStart;

    public int CheckpointsWritten { get; set; }

    /// <summary>Adds the time since the previous lap to <paramref name="phase"/>.</summary>
    public void Lap(TrainPhase phase)
    {
        double now = watch.Elapsed.TotalSeconds;
        seconds[(int)phase] += now - lapStart;
        lapStart = now;
    }

    double this[TrainPhase phase] => seconds[(int)phase];

    /// <param name="epochs">Epochs this process ran.</param>
    /// <param name="screened">Running (screened) rows of the whole run.</param>
    public TrainProfile Profile(int epochs, int screened, int threads) => new()
    {
        Setup = this[TrainPhase.Setup], Steps = this[TrainPhase.Steps], EvaluateTrain = this[TrainPhase.EvaluateTrain], EvaluateTest = this[TrainPhase.EvaluateTest],
        Csv = this[TrainPhase.Csv], Checkpoints = this[TrainPhase.Checkpoints], Finish = this[TrainPhase.Other], Total = watch.Elapsed.TotalSeconds,
        ProcessCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds,
        Epochs = epochs, CheckpointsWritten = CheckpointsWritten, ScreenedEpochs = screened, Threads = threads,
    };
}
