namespace Shatter.Results;

/// <summary>
/// The Rademacher and shattering results a results database holds (<c>shatter rademacher|vc --report</c>,
/// <c>shatter reproduce figure1</c>), each the latest of its setting, for the report's complexity section.
/// </summary>
public sealed record StoredCapacity(IReadOnlyList<RademacherResult> Rademacher, IReadOnlyList<ShatteringResult> Shattering)
{
    public static StoredCapacity None { get; } = new([], []);

    public bool Any => Rademacher.Count > 0 || Shattering.Count > 0;

    /// <summary>The setting that identifies a Rademacher result: a new result of the same setting replaces it.</summary>
    public static string Setting(RademacherResult r) =>
        FormattableString.Invariant($"{r.Model}|{r.Dataset}|{r.TrainSize}|{r.Draws}|{r.Seed}|{string.Join(",", r.Budgets.Select(b => b.Epochs))}");

    /// <summary>The setting that identifies a shattering result.</summary>
    public static string Setting(ShatteringResult r) => FormattableString.Invariant($"{r.Model}|{r.N}|{r.D}|{r.Labellings}|{r.Seed}");
}
