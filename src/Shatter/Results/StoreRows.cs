using System.Data.Common;
using System.Text.Json;
using Shatter.Training;

namespace Shatter.Results;

/// <summary>
/// The rows both backends (<see cref="ResultsStore"/>, <see cref="PostgresStore"/>) read back, mapped once: each store
/// runs its own dialect's statement (parameter syntax, booleans) and hands the reader here. Column orders are the
/// statements' (see the callers).
/// </summary>
static class StoreRows
{
    /// <summary>A REAL column; NULL (a non-finite value when stored) reads as NaN.</summary>
    public static double Real(DbDataReader r, int i) => r.IsDBNull(i) ? double.NaN : r.GetDouble(i);

    /// <summary>A boolean column: PostgreSQL's boolean or SQLite's 0/1 integer.</summary>
    static bool Flag(DbDataReader r, int i) => Convert.ToBoolean(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The run columns of the stores' SelectRun, in order.</summary>
    public static List<RunRecord> Runs(DbDataReader r)
    {
        var list = new List<RunRecord>();
        string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        while (r.Read())
            list.Add(new RunRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3),
                JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(4))!, r.GetString(5), r.GetString(6), S(7), S(8), S(9),
                r.GetInt32(10), S(11), S(12), S(13), S(14)));
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
}
