using System.Data.Common;
using System.Text.Json;
using Shatter.Training;

namespace Shatter.Results;

/// <summary>
/// The rows a <see cref="RelationalStore"/> reads back, mapped once for both backends (PostgreSQL's booleans and
/// SQLite's 0/1 alike). Column orders are the statements' (see the callers).
/// </summary>
static class StoreRows
{
    /// <summary>A REAL column; NULL (a non-finite value when stored) reads as NaN.</summary>
    public static double Real(DbDataReader r, int i) => r.IsDBNull(i) ? double.NaN : r.GetDouble(i);

    /// <summary>A boolean column: PostgreSQL's boolean or SQLite's 0/1 integer.</summary>
    static bool Flag(DbDataReader r, int i) => Convert.ToBoolean(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The run columns of the stores' SelectRun, in order.</summary>
    public static List<RunRecord> Runs(DbDataReader r, string path)
    {
        var list = new List<RunRecord>();
        string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        while (r.Read())
            list.Add(new RunRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3),
                JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(4))!, r.GetString(5), r.GetString(6), S(7), S(8), S(9),
                r.GetInt32(10), S(11), S(12), S(13), S(14)) { Database = path });
        return list;
    }

    /// <summary>spec, scale.</summary>
    public static List<(string Spec, string Scale)> Sections(DbDataReader r)
    {
        var list = new List<(string, string)>();
        while (r.Read()) list.Add((r.GetString(0), r.GetString(1)));
        return list;
    }

    /// <summary>epoch, step, lr, train_loss, train_accuracy, test_loss, test_accuracy, seconds.</summary>
    public static List<EpochMetrics> Epochs(DbDataReader r)
    {
        var list = new List<EpochMetrics>();
        while (r.Read()) list.Add(new EpochMetrics(r.GetInt32(0), r.GetInt64(1), Real(r, 2), Real(r, 3), Real(r, 4), Real(r, 5), Real(r, 6), Real(r, 7)));
        return list;
    }

    /// <summary>step, epoch, lr, loss.</summary>
    public static List<StepRow> Steps(DbDataReader r)
    {
        var list = new List<StepRow>();
        while (r.Read()) list.Add(new StepRow(r.GetInt64(0), r.GetInt32(1), Real(r, 2), Real(r, 3)));
        return list;
    }

    /// <summary>idx, label_changed, input_changed, first_fit_epoch.</summary>
    public static List<ExampleRow> Examples(DbDataReader r)
    {
        var list = new List<ExampleRow>();
        while (r.Read()) list.Add(new ExampleRow(r.GetInt32(0), Flag(r, 1), Flag(r, 2), r.GetInt32(3)));
        return list;
    }

    /// <summary>hash, name, value (NULL: not computable).</summary>
    public static List<(string Hash, string Name, double? Value)> MeasureValues(DbDataReader r)
    {
        var list = new List<(string, string, double?)>();
        while (r.Read()) list.Add((r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetDouble(2)));
        return list;
    }

    /// <summary>Three text columns.</summary>
    public static List<(string A, string B, string C)> Texts(DbDataReader r)
    {
        var list = new List<(string, string, string)>();
        while (r.Read()) list.Add((r.GetString(0), r.GetString(1), r.GetString(2)));
        return list;
    }

    /// <summary>A series as stored: a JSON array in which a non-finite value is null (the stores' one rule).</summary>
    public static string SeriesJson(IEnumerable<double> series) =>
        JsonSerializer.Serialize(series.Select(v => double.IsFinite(v) ? v : (double?)null));

    /// <summary>A stored series; null entries read as NaN. A damaged one is a one-sentence error naming the database.</summary>
    public static double[] Series(string json, string path)
    {
        try
        {
            return [.. (JsonSerializer.Deserialize<double?[]>(json) ?? []).Select(v => v ?? double.NaN)];
        }
        catch (JsonException e)
        {
            throw new ShatterException($"the results database {path} holds a damaged measure series ({e.Message.TrimEnd('.')}); run 'shatter measures' again to replace it.", e);
        }
    }

    /// <summary>hash, method, steps, set_name, epsilon, epsilon_text, accuracy, examples.</summary>
    public static List<StoredAttack> Attacks(DbDataReader r)
    {
        var list = new List<StoredAttack>();
        while (r.Read())
            list.Add(new StoredAttack(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetString(3), Real(r, 4), r.GetString(5), Real(r, 6), r.GetInt32(7)));
        return list;
    }

    /// <summary>hash, epoch, grp, examples, critical_sample_ratio, loss_sensitivity, seconds.</summary>
    public static List<(string Hash, MemorizationPoint Point)> Memorization(DbDataReader r)
    {
        var list = new List<(string, MemorizationPoint)>();
        while (r.Read())
            list.Add((r.GetString(0), new MemorizationPoint(r.GetInt32(1), r.GetString(2), r.GetInt32(3), Real(r, 4), Real(r, 5), Real(r, 6))));
        return list;
    }

    /// <summary>hash, attempt, worker, started_at, finished_at, outcome, error.</summary>
    public static List<RunAttempt> Attempts(DbDataReader r)
    {
        var list = new List<RunAttempt>();
        while (r.Read())
            list.Add(new RunAttempt(r.GetString(0), r.GetInt32(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4),
                r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6)));
        return list;
    }

    /// <summary>Four text columns: a claimed run's hash, spec, scale and its status (or holder) before the claim.</summary>
    public static List<(string, string, string, string)> Claimed(DbDataReader r)
    {
        var list = new List<(string, string, string, string)>();
        while (r.Read()) list.Add((r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)));
        return list;
    }
}
