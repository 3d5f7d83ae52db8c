using Shatter.Results;

namespace Shatter.Tests.Results;

public sealed class QueueStatusTests
{
    static RunRecord Run(string hash, string spec, string status, string? start = null, string? end = null, string? worker = null) =>
        new(hash, spec, "q", 0, new Dictionary<string, string>(), "{}", status, worker, start, end, 1, null, null, null, null);

    [Fact]
    public void Counts_states_per_spec_treats_an_expired_lease_as_pending_and_divides_the_eta_among_live_workers()
    {
        var runs = new[]
        {
            Run("a", "figure1", RunStatus.Done, "2026-01-01T00:00:00.000Z", "2026-01-01T00:01:00.000Z"),
            Run("b", "figure1", RunStatus.Done, "2026-01-01T00:00:00.000Z", "2026-01-01T00:03:00.000Z"),
            Run("c", "figure1", RunStatus.Running, worker: "w1"),
            Run("d", "figure1", RunStatus.Running, worker: "dead"),
            Run("e", "figure1", RunStatus.Queued),
            Run("f", "figure1", RunStatus.Queued),
            Run("g", "table1", RunStatus.Failed),
            Run("h", "table1", RunStatus.Running, worker: "w2"),
        };
        var leases = new[] { new RunLease("c", "w1", 5), new RunLease("d", "dead", 500), new RunLease("h", "w2", 1) };
        var status = QueueStatus.From(runs, leases, TimeSpan.FromSeconds(120));
        Assert.Equal(["w1", "w2"], status.WorkersAlive);
        Assert.Equal(1, status.StaleLeases);
        var f = status.Lines.Single(l => l.Spec == "figure1");
        Assert.Equal((6, 2, 1, 3, 0), (f.Total, f.Done, f.Running, f.Pending, f.Failed));
        Assert.Equal(120, f.MeanRunSeconds);
        Assert.Equal(TimeSpan.FromSeconds(120.0 * 4 / 2), f.Eta);   // 4 runs left, 2 workers alive
        var t = status.Lines.Single(l => l.Spec == "table1");
        Assert.Equal((2, 0, 1, 0, 1), (t.Total, t.Done, t.Running, t.Pending, t.Failed));
        Assert.Null(t.Eta);   // no run done yet: no mean to go by
    }

    [Fact]
    public void Without_live_workers_there_is_no_eta_and_a_finished_spec_has_none_left()
    {
        var runs = new[] { Run("a", "s", RunStatus.Done, "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:10.000Z"), Run("b", "s", RunStatus.Queued) };
        Assert.Null(QueueStatus.From(runs, [], TimeSpan.FromSeconds(60)).Lines.Single().Eta);
        var done = new[] { runs[0] };
        Assert.Equal(TimeSpan.Zero, QueueStatus.From(done, [], TimeSpan.FromSeconds(60)).Lines.Single().Eta);
    }
}
