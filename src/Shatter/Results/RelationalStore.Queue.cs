using System.Globalization;
using System.Text;
using System.Data.Common;
using System.Text.Json;

namespace Shatter.Results;

/// <summary>The run queue of <see cref="RelationalStore"/>: register, claim, heartbeat, complete, fail, release, attempts, leases.</summary>
public abstract partial class RelationalStore
{
    /// <summary>Rows per INSERT when registering runs (3 to 5 parameters each: far under both backends' parameter limits).</summary>
    const int RegisterChunk = 200;

    /// <summary>
    /// Makes <paramref name="runs"/> the runs of a spec at a scale. A run already stored (from any spec) keeps its state
    /// and results; runs that an edited spec no longer lists stay stored but leave the spec.
    /// </summary>
    public void Register(string spec, string scale, IReadOnlyList<PlannedRun> runs) => Register(spec, scale, runs, null);

    /// <summary>As <see cref="Register(string, string, IReadOnlyList{PlannedRun})"/>, telling <paramref name="progress"/> how many runs are in after each chunk.</summary>
    /// <remarks>
    /// Each <see cref="RegisterTransaction"/> runs go in in a transaction of their own, so a grid of a million runs does not
    /// grow one transaction (and SQLite's WAL) to hundreds of megabytes; <paramref name="progress"/> hears after each.
    /// </remarks>
    public void Register(string spec, string scale, IReadOnlyList<PlannedRun> runs, Action<int>? progress)
    {
        for (int first = 0; first == 0 || first < runs.Count; first += RegisterTransaction)
        {
            int from = first;
            Write(tx =>
            {
                if (from == 0)
                {
                    // attempts a crash left marked running (their worker no longer holds the run) are recorded as lost
                    Execute($"UPDATE run_attempts SET outcome = 'lost', finished_at = {Now} WHERE outcome = 'running' AND NOT ({HeldBy("run_attempts")})", tx);
                    Execute("DELETE FROM run_specs WHERE spec = @s AND scale = @k", tx, ("@s", spec), ("@k", scale));
                }
                InsertRuns(tx, spec, scale, runs, from, Math.Min(runs.Count, from + RegisterTransaction));
            });
            progress?.Invoke(Math.Min(runs.Count, first + RegisterTransaction));
        }
    }

    /// <summary>Runs registered per transaction.</summary>
    const int RegisterTransaction = 10_000;

    void InsertRuns(DbTransaction tx, string spec, string scale, IReadOnlyList<PlannedRun> runs, int from, int to)
    {
        for (int start = from; start < to; start += RegisterChunk)
        {
            var chunk = runs.Skip(start).Take(Math.Min(RegisterChunk, to - start)).ToList();
            var runRows = new StringBuilder();
            var specRows = new StringBuilder();
            var parameters = new List<(string, object?)> { ("@s", spec), ("@k", scale) };
            for (int i = 0; i < chunk.Count; i++)
            {
                runRows.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@h{i}, @c{i}, {Now})");
                specRows.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@s, @k, @h{i}, @o{i}, @p{i})");
                parameters.Add(($"@h{i}", chunk[i].Hash));
                parameters.Add(($"@c{i}", Json.Serialize(chunk[i].Config)));
                parameters.Add(($"@o{i}", chunk[i].Order));
                parameters.Add(($"@p{i}", JsonSerializer.Serialize(chunk[i].Point)));
            }
            var all = parameters.ToArray();
            Execute($"INSERT INTO runs(hash, config_json, created_at) VALUES {runRows} ON CONFLICT (hash) DO NOTHING", tx, all);
            Execute($"""
                INSERT INTO run_specs(spec, scale, hash, ord, point_json) VALUES {specRows}
                ON CONFLICT (spec, scale, hash) DO UPDATE SET ord = excluded.ord, point_json = excluded.point_json
                """, tx, all);
        }
    }

    /// <summary>A claim of (spec, scale) that takes failed runs too (except those in <paramref name="skip"/>) and runs silent for <paramref name="stale"/>.</summary>
    public ClaimedRun? Claim(string spec, string scale, string worker, IReadOnlySet<string> skip, TimeSpan stale) =>
        Claim(new ClaimRequest(spec, scale, worker, skip, stale));

    /// <inheritdoc/>
    public ClaimedRun? Claim(ClaimRequest request)
    {
        lock (Gate)
        {
            var taken = ClaimOne(request);
            return taken is var (hash, spec, scale, old) ? new ClaimedRun(Get(hash, spec, scale)!, Resume: old != RunStatus.Queued) : null;
        }
    }

    /// <summary>
    /// The columns a claim sets: this worker and its lease (<c>@lease</c> seconds: the holder's, which decides when the run
    /// may be taken over, whatever lease a later claimer asks with), the database's time, one more attempt, this host.
    /// </summary>
    protected string ClaimSet => $"""
        status = 'running', worker = @w, lease_seconds = @lease, claimed_at = {Now}, heartbeat = {Now}, started_at = {Now},
        attempts = attempts + 1, error = NULL, host_json = @host
        """;

    public bool Heartbeat(string hash, string worker)
    {
        lock (Gate)
            return Execute($"UPDATE runs SET heartbeat = {Now} WHERE hash = @h AND worker = @w AND status = 'running'", null,
                ("@h", hash), ("@w", worker)) == 1;
    }

    /// <summary>Stores the run's metrics and marks it done, in one transaction; false (nothing stored) when this worker no longer holds it.</summary>
    public bool Complete(string hash, string worker, RunResult result) => Transact(tx =>
    {
        int updated = Execute($"""
            UPDATE runs SET status = 'done', finished_at = {Now}, heartbeat = {Now}, seconds = @sec, error = NULL,
                summary_json = @sum, run_json = @run
            WHERE hash = @h AND worker = @w AND status = 'running'
            """, tx, ("@sec", result.Seconds), ("@sum", result.SummaryJson), ("@run", result.RunJson), ("@h", hash), ("@w", worker));
        if (updated != 1)
        {
            tx.Rollback();
            return false;
        }
        foreach (var table in new[] { "epochs", "steps", "examples" })
            Execute($"DELETE FROM {table} WHERE hash = @h", tx, ("@h", hash));
        InsertMetrics(tx, hash, result);
        if (result.Memorization is { } memorization) InsertMemorization(tx, hash, memorization);   // only by the holder, with its 'done'
        tx.Commit();
        return true;
    });

    /// <summary>Marks the run failed with its error (the next sweep resumes it).</summary>
    public void Fail(string hash, string worker, string error)
    {
        lock (Gate)
            Execute($"UPDATE runs SET status = 'failed', finished_at = {Now}, error = @e WHERE hash = @h AND worker = @w AND status = 'running'", null,
                ("@e", error), ("@h", hash), ("@w", worker));
    }

    public void Release(string hash, string worker)
    {
        lock (Gate)
            Execute("UPDATE runs SET status = 'queued', worker = NULL, error = NULL WHERE hash = @h AND worker = @w AND status = 'running'", null,
                ("@h", hash), ("@w", worker));
    }

    public int Requeue(string spec, string scale)
    {
        lock (Gate)
            return Execute("""
                UPDATE runs SET status = 'queued', worker = NULL, error = NULL
                WHERE status = 'failed' AND hash IN (SELECT hash FROM run_specs WHERE spec = @s AND scale = @k)
                """, null, ("@s", spec), ("@k", scale));
    }

    /// <summary>
    /// Records the start of an attempt at a run this worker holds and returns its number: one more than the run's last
    /// attempt (or its claim count, for runs claimed before attempts were recorded). An earlier attempt still marked
    /// running lost its worker: it is marked lost.
    /// </summary>
    public int BeginAttempt(string hash, string worker) => Transact(tx =>
    {
        Execute("UPDATE runs SET attempts = attempts WHERE hash = @h", tx, ("@h", hash));   // locks the run's row (PostgreSQL; SQLite holds the whole file)
        Execute($"UPDATE run_attempts SET outcome = 'lost', finished_at = {Now} WHERE hash = @h AND outcome = 'running'", tx, ("@h", hash));
        int last = Convert.ToInt32(Scalar("SELECT COALESCE(MAX(attempt), 0) FROM run_attempts WHERE hash = @h", tx, ("@h", hash)), CultureInfo.InvariantCulture);
        int claims = Convert.ToInt32(Scalar("SELECT attempts FROM runs WHERE hash = @h", tx, ("@h", hash)) ?? 0, CultureInfo.InvariantCulture);
        int number = Math.Max(last + 1, claims);
        Execute($"INSERT INTO run_attempts(hash, attempt, worker, started_at) VALUES (@h, @a, @w, {Now})", tx, ("@h", hash), ("@a", number), ("@w", worker));
        Execute("UPDATE runs SET attempts = @a WHERE hash = @h", tx, ("@a", number), ("@h", hash));
        tx.Commit();
        return number;
    });

    /// <summary>Records how an attempt ended (<see cref="AttemptOutcome"/>) and its error, if any.</summary>
    public void EndAttempt(string hash, int attempt, string outcome, string? error = null)
    {
        lock (Gate)
            Execute($"UPDATE run_attempts SET outcome = @o, finished_at = {Now}, error = @e WHERE hash = @h AND attempt = @a", null,
                ("@o", outcome), ("@e", error), ("@h", hash), ("@a", attempt));
    }

    /// <summary>The leases of the runs now running: worker, seconds since its heartbeat (by the database's clock) and the holder's lease.</summary>
    public IReadOnlyList<RunLease> Leases()
    {
        var lease = Columns("runs").Any(c => c.Name == "lease_seconds") ? "lease_seconds" : "NULL";   // a store older than the holder's lease, read-only
        return Query(r =>
        {
            var list = new List<RunLease>();
            while (r.Read())
                list.Add(new RunLease(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? double.PositiveInfinity : Convert.ToDouble(r.GetValue(2), CultureInfo.InvariantCulture),
                    r.IsDBNull(3) ? null : Convert.ToDouble(r.GetValue(3), CultureInfo.InvariantCulture)));
            return list;
        }, $"SELECT hash, COALESCE(worker, ''), {SecondsSince("heartbeat")}, {lease} FROM runs WHERE status = 'running' ORDER BY hash");
    }
}
