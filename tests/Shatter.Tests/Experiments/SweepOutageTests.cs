using System.Collections.Concurrent;
using Shatter.Experiments;
using Shatter.Results;
using Shatter.Tests.Results;
using Shatter.Training;

namespace Shatter.Tests.Experiments;

/// <summary>
/// PostgreSQL is down at the moment a run finishes: the worker does not die, it stores the run again until the
/// server is back (with a message) and the run ends done, not left running for a lease. A server of its own, since
/// the test stops it.
/// </summary>
public sealed class SweepOutageTests(PostgresServer server) : IClassFixture<PostgresServer>, IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "shatter-outage-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Scratch.Delete(dir);
    }

    /// <summary>Trains with the test double, then takes the server down as the run finishes.</summary>
    sealed class OutageAtTheEnd(IRunExecutor inner, Action outage) : IRunExecutor
    {
        public TrainSummary Execute(TrainConfig config, string runDir, bool resume, ITrainObserver? observer, CancellationToken cancellationToken)
        {
            var summary = inner.Execute(config, runDir, resume, observer, cancellationToken);
            outage();
            return summary;
        }
    }

    [Fact]
    public void A_run_that_finishes_while_the_server_is_down_is_stored_once_it_is_back()
    {
        var address = server.NewDatabase();
        var spec = SpecParser.Parse("""
            name: outage
            scales: { s: { train_size: 20, epochs: 3 } }
            grid: { seed: [1] }
            """, "outage.yaml");
        var log = new ConcurrentQueue<string>();
        using var backUp = new ManualResetEventSlim();
        var executor = new OutageAtTheEnd(new FakeExecutor(), () =>
        {
            server.Stop();
            // the server comes back once the worker has said that it waits for it: no timing involved
            Task.Run(() =>
            {
                SpinWait.SpinUntil(() => log.Any(l => l.Contains("the database is unreachable", StringComparison.Ordinal)), TimeSpan.FromMinutes(2));
                server.Start();
                backUp.Set();
            });
        });
        var options = new SweepOptions
        {
            ResultsDir = dir, PollInterval = TimeSpan.FromMilliseconds(10), StoreRetryInterval = TimeSpan.FromMilliseconds(200),
            Log = log.Enqueue, Retries = 0,
        };
        SweepOutcome outcome;
        using (var store = Stores.Open(address))
            outcome = new Sweep(store, executor, options).Run(spec, "s", null, CancellationToken.None);
        Assert.True(backUp.IsSet);
        Assert.Equal((1, 1, 0), (outcome.Total, outcome.Done, outcome.Failed));
        Assert.Contains(log, l => l.Contains("finished, but the database is unreachable (", StringComparison.Ordinal) && l.Contains("storing it again", StringComparison.Ordinal));
        using var read = Stores.OpenExisting(address);
        var run = read.Runs("outage", "s").Single();
        Assert.Equal(RunStatus.Done, run.Status);
        Assert.Equal([AttemptOutcome.Done], read.Attempts(run.Hash).Select(a => a.Outcome));
        Assert.Equal(4, read.Epochs(run.Hash).Count);
    }
}
