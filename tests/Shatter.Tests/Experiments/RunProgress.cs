namespace Shatter.Tests.Experiments;

/// <summary>How far a run being trained by another process has got, read from its folder (for the kill tests).</summary>
static class RunProgress
{
    /// <summary>Epoch rows in the run's epochs.csv (epoch 0 included), 0 while it does not exist or is being rewritten.</summary>
    public static int EpochRows(string runDir)
    {
        var csv = Path.Combine(runDir, "epochs.csv");
        try
        {
            return File.Exists(csv) ? File.ReadAllLines(csv).Length - 1 : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
