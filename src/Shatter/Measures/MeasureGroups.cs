namespace Shatter.Measures;

/// <summary>The groups of measures, computed (and skipped when already stored) one group at a time.</summary>
public static class MeasureGroups
{
    /// <summary>Margins and every norm-based measure (deterministic; needs one pass over the training set).</summary>
    public const string Norms = "norms";
    /// <summary>The convolutions' operator norms (Sedghi et al. 2019) and the products and sums built on them (deterministic; no data).</summary>
    public const string OperatorNorms = "operator-norms";
    /// <summary>PAC-Bayes σ′ with isotropic noise and the terms built on it.</summary>
    public const string PacBayes = "pac-bayes";
    /// <summary>PAC-Bayes σ′ with magnitude-aware noise σ′·|wᵢ| + ε and its terms.</summary>
    public const string PacBayesMagnitude = "pac-bayes-magnitude";
    /// <summary>Sharpness by projected gradient ascent.</summary>
    public const string Sharpness = "sharpness";

    public static readonly IReadOnlyList<string> All = [Norms, OperatorNorms, PacBayes, PacBayesMagnitude, Sharpness];

    /// <summary>Parses "norms,sharpness" (or "all"); an unknown name is a one-sentence error.</summary>
    public static IReadOnlyList<string> Parse(string? list)
    {
        if (string.IsNullOrWhiteSpace(list) || list.Trim() == "all") return All;
        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        foreach (var n in names)
            if (!All.Contains(n)) throw new ShatterException($"unknown measure group '{n}'; use {string.Join(", ", All)} or all.");
        return names;
    }
}
