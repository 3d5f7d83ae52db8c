using Shatter.Tests.Data;
using Shatter.Theory;
using static TorchSharp.torch;

namespace Shatter.Tests.Theory;

public sealed class TheoryReportTests
{
    [Fact]
    public void Commands_reporting_into_one_folder_at_once_keep_each_others_rows()
    {
        using var folder = new TempFolder();
        ExpressivityResult row;
        using (NewDisposeScope())
        {
            var (x, y) = ExpressivityExperiment.RandomPoints(20, 3, 2, 1);
            row = ExpressivityExperiment.Run("gaussian points, d = 3", x, y, 2, 0, 1, 1, 1, null, null);
        }
        // eight writers read, extend and rewrite theory-expressivity.json together, each with a row of its own setting
        const int writers = 8;
        using var start = new Barrier(writers);
        var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var threads = Enumerable.Range(0, writers).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            try
            {
                for (int k = 0; k < 5; k++) TheoryReport.SaveExpressivity(folder.Path, [row with { N = 1000 * i + k }]);
            }
            catch (Exception e)
            {
                errors.Enqueue(e);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Empty(errors);
        var saved = System.Text.Json.JsonSerializer.Deserialize<List<ExpressivityResult>>(File.ReadAllText(folder["theory-expressivity.json"]), Json.Options)!;
        Assert.Equal(writers * 5, saved.Select(r => r.N).Distinct().Count());
        Assert.Contains("1004", File.ReadAllText(folder[Shatter.Reporting.TheoryPage.PageName]));
    }
}
