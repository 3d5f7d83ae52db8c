using System.Text.Json;
using Shatter.Training;

namespace Shatter.Results;

/// <summary>The results side of <see cref="RelationalStore"/>: runs and their metrics, attempts, report hints, measures, attacks, memorization.</summary>
public abstract partial class RelationalStore
{
    string SelectRun => $"""
        SELECT r.hash, s.spec, s.scale, s.ord, s.point_json, r.config_json, r.status, r.worker, {TimeText("r.started_at")}, {TimeText("r.finished_at")},
               r.attempts, r.error, r.summary_json, r.run_json, r.host_json
        FROM runs r JOIN run_specs s ON s.hash = r.hash
        """;

    /// <summary>The runs of a spec and scale (both optional filters), in spec, scale and grid order.</summary>
    public IReadOnlyList<RunRecord> Runs(string? spec = null, string? scale = null) =>
        Query(r => StoreRows.Runs(r, Path), $"""
            {SelectRun} WHERE (CAST(@s AS TEXT) IS NULL OR s.spec = @s) AND (CAST(@k AS TEXT) IS NULL OR s.scale = @k) ORDER BY s.spec, s.scale, s.ord
            """, ("@s", spec), ("@k", scale));

    /// <summary>One run as seen from (spec, scale); null if it is not part of it.</summary>
    public RunRecord? Get(string hash, string spec, string scale) =>
        Query(r => StoreRows.Runs(r, Path), $"{SelectRun} WHERE r.hash = @h AND s.spec = @s AND s.scale = @k", ("@h", hash), ("@s", spec), ("@k", scale)).SingleOrDefault();

    /// <summary>(spec, scale) pairs present in the store.</summary>
    public IReadOnlyList<(string Spec, string Scale)> Sections() => Query(StoreRows.Sections, "SELECT DISTINCT spec, scale FROM run_specs ORDER BY spec, scale");

    public IReadOnlyList<EpochMetrics> Epochs(string hash) =>
        Query(StoreRows.Epochs, "SELECT epoch, step, lr, train_loss, train_accuracy, test_loss, test_accuracy, seconds FROM epochs WHERE hash = @h ORDER BY epoch", ("@h", hash));

    public IReadOnlyList<StepRow> Steps(string hash) =>
        Query(StoreRows.Steps, "SELECT step, epoch, lr, loss FROM steps WHERE hash = @h ORDER BY step", ("@h", hash));

    public IReadOnlyList<ExampleRow> Examples(string hash) =>
        Query(StoreRows.Examples, "SELECT idx, label_changed, input_changed, first_fit_epoch FROM examples WHERE hash = @h ORDER BY idx", ("@h", hash));

    /// <summary>Every attempt at a run, or at every run when <paramref name="hash"/> is null, by run and number.</summary>
    /// <remarks>
    /// An attempt still marked running whose worker no longer holds its run, or is a process of this host that ended (a
    /// crash that could not record its end, e.g. on a full disk), reads as lost: it is not running.
    /// </remarks>
    public IReadOnlyList<RunAttempt> Attempts(string? hash = null) =>
        !Has("run_attempts") ? [] : [.. Query(StoreRows.Attempts, $"""
            SELECT a.hash, a.attempt, a.worker, {TimeText("a.started_at")}, {TimeText("a.finished_at")},
                   CASE WHEN a.outcome = 'running' AND NOT ({HeldBy("a")}) THEN 'lost' ELSE a.outcome END, a.error
            FROM run_attempts a WHERE CAST(@h AS TEXT) IS NULL OR a.hash = @h ORDER BY a.hash, a.attempt
            """, ("@h", hash))
            .Select(a => a.Outcome == AttemptOutcome.Running && WorkerId.IsDeadHere(a.Worker) ? a with { Outcome = AttemptOutcome.Lost } : a)];

    /// <summary>SQL: the attempt row <paramref name="a"/>'s worker still holds its run.</summary>
    static string HeldBy(string a) => $"EXISTS (SELECT 1 FROM runs r WHERE r.hash = {a}.hash AND r.status = 'running' AND r.worker = {a}.worker)";

    /// <summary>Stores a spec's <c>report:</c> hints (in the meta table, key report_hints/SPEC), or removes them when null.</summary>
    public void SaveReportHints(string spec, ReportHints? hints)
    {
        lock (Gate)
        {
            if (hints is null) Execute("DELETE FROM meta WHERE key = @k", null, ("@k", "report_hints/" + spec));
            else Execute("INSERT INTO meta(key, value) VALUES (@k, @v) ON CONFLICT (key) DO UPDATE SET value = excluded.value", null,
                ("@k", "report_hints/" + spec), ("@v", Json.Serialize(hints)));
        }
    }

    /// <summary>A spec's stored <c>report:</c> hints; null when it has none.</summary>
    public ReportHints? ReportHints(string spec)
    {
        lock (Gate)
            return Scalar("SELECT value FROM meta WHERE key = @k", null, ("@k", "report_hints/" + spec)) is string json
                ? JsonSerializer.Deserialize<ReportHints>(json, Json.Options) : null;
    }

    /// <summary>Replaces the stored measures of run <paramref name="hash"/> by <paramref name="file"/>'s, in one transaction.</summary>
    public void SaveMeasures(string hash, MeasureFile file) => Write(tx =>
    {
        Execute("DELETE FROM measures WHERE hash = @h", tx, ("@h", hash));
        Execute("DELETE FROM measure_series WHERE hash = @h", tx, ("@h", hash));
        foreach (var (name, value) in file.Values)
            Execute("INSERT INTO measures(hash, name, value) VALUES (@h, @n, @v)", tx, ("@h", hash), ("@n", name), ("@v", value));
        foreach (var (name, series) in file.Series)
            Execute("INSERT INTO measure_series(hash, name, json) VALUES (@h, @n, @j)", tx, ("@h", hash), ("@n", name), ("@j", StoreRows.SeriesJson(series)));
    });

    /// <inheritdoc/>
    /// <remarks>A store written before the measures were part of its schema, opened read-only, has none: no measures.</remarks>
    public IReadOnlyDictionary<string, MeasureFile> Measures()
    {
        var result = new Dictionary<string, MeasureFile>();
        if (!Has("measures") || !Has("measure_series")) return result;
        MeasureFile Of(string hash) => result.TryGetValue(hash, out var f) ? f : result[hash] = new MeasureFile();
        foreach (var (hash, name, value) in Query(StoreRows.MeasureValues, "SELECT hash, name, value FROM measures ORDER BY hash, name"))
            Of(hash).Values[name] = value;
        foreach (var (hash, name, json) in Query(StoreRows.Texts, "SELECT hash, name, json FROM measure_series ORDER BY hash, name"))
            Of(hash).Series[name] = StoreRows.Series(json, Path);
        return result;
    }

    /// <summary>Replaces run <paramref name="hash"/>'s stored attack points of <paramref name="report"/>'s method; a repeated (set, ε) keeps the last.</summary>
    public void SaveAttack(string hash, AttackReport report) => Write(tx =>
    {
        var method = report.Method.ToString().ToLowerInvariant();
        Execute("DELETE FROM attacks WHERE hash = @h AND method = @m", tx, ("@h", hash), ("@m", method));
        foreach (var p in report.Points)
            Execute("""
                INSERT INTO attacks(hash, method, steps, set_name, epsilon, epsilon_text, accuracy, examples) VALUES (@h, @m, @s, @set, @e, @t, @a, @n)
                ON CONFLICT (hash, method, set_name, epsilon) DO UPDATE SET
                steps = excluded.steps, epsilon_text = excluded.epsilon_text, accuracy = excluded.accuracy, examples = excluded.examples
                """, tx, ("@h", hash), ("@m", method), ("@s", report.Steps), ("@set", p.Set), ("@e", p.Epsilon), ("@t", p.EpsilonText), ("@a", p.Accuracy), ("@n", p.Examples));
    });

    /// <summary>Replaces run <paramref name="hash"/>'s stored memorization points by <paramref name="file"/>'s, in one transaction.</summary>
    public void SaveMemorization(string hash, MemorizationFile file) => Write(tx => InsertMemorization(tx, hash, file));

    void InsertMemorization(System.Data.Common.DbTransaction tx, string hash, MemorizationFile file)
    {
        Execute("DELETE FROM memorization WHERE hash = @h", tx, ("@h", hash));
        foreach (var p in file.Points)
            Execute("""
                INSERT INTO memorization(hash, epoch, grp, examples, critical_sample_ratio, loss_sensitivity, seconds, radius) VALUES (@h, @e, @g, @n, @c, @l, @s, @r)
                ON CONFLICT (hash, epoch, grp) DO UPDATE SET examples = excluded.examples, critical_sample_ratio = excluded.critical_sample_ratio,
                loss_sensitivity = excluded.loss_sensitivity, seconds = excluded.seconds, radius = excluded.radius
                """, tx, ("@h", hash), ("@e", p.Epoch), ("@g", p.Group), ("@n", p.Examples), ("@c", p.CriticalSampleRatio), ("@l", p.LossSensitivity),
                ("@s", p.Seconds), ("@r", file.Radius));
    }

    public void SaveCapacity(RademacherResult result) => SaveCapacity("rademacher", StoredCapacity.Setting(result), Json.Serialize(result));

    public void SaveCapacity(ShatteringResult result) => SaveCapacity("shattering", StoredCapacity.Setting(result), Json.Serialize(result));

    void SaveCapacity(string kind, string setting, string json) => Write(tx =>
    {
        Execute("INSERT INTO capacity(kind, setting, json) VALUES (@k, @s, @j) ON CONFLICT (kind, setting) DO UPDATE SET json = excluded.json", tx,
            ("@k", kind), ("@s", setting), ("@j", json));
    });

    /// <inheritdoc/>
    /// <remarks>A store older than the capacity table, opened read-only, holds none.</remarks>
    public StoredCapacity Capacity()
    {
        if (!Has("capacity")) return StoredCapacity.None;
        var rows = Query(StoreRows.Texts, "SELECT kind, setting, json FROM capacity ORDER BY kind, setting");
        try
        {
            return new StoredCapacity(
                [.. rows.Where(r => r.A == "rademacher").Select(r => JsonSerializer.Deserialize<RademacherResult>(r.C, Json.Options)!)],
                [.. rows.Where(r => r.A == "shattering").Select(r => JsonSerializer.Deserialize<ShatteringResult>(r.C, Json.Options)!)]);
        }
        catch (JsonException e)
        {
            throw new ShatterException($"the results database {Path} holds a damaged capacity result ({e.Message.TrimEnd('.')}); run 'shatter rademacher' or 'shatter vc' with --report again to replace it.", e);
        }
    }

    public IReadOnlyList<StoredAttack> Attacks() => !Has("attacks") ? [] :
        Query(StoreRows.Attacks, "SELECT hash, method, steps, set_name, epsilon, epsilon_text, accuracy, examples FROM attacks ORDER BY hash, method, set_name, epsilon");

    public IReadOnlyList<(string Hash, MemorizationPoint Point)> Memorization() => !Has("memorization") ? [] :
        Query(StoreRows.Memorization, "SELECT hash, epoch, grp, examples, critical_sample_ratio, loss_sensitivity, seconds FROM memorization ORDER BY hash, epoch, grp");
}
