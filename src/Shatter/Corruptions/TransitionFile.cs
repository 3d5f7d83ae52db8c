using System.Globalization;

namespace Shatter.Corruptions;

/// <summary>
/// Reads the matrix mode's transition matrix: a CSV of C rows of C numbers (comma-separated; blank lines
/// and lines starting with # are skipped), row y the distribution a drawn label of class y is redrawn
/// from. Every entry must be in [0, 1] and every row must sum to 1 (within 1e-6). Each problem is one
/// sentence naming the file, the line and the fix.
/// </summary>
public static class TransitionFile
{
    public const double SumTolerance = 1e-6;

    public static double[,] Read(string path, int classes)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ShatterException($"cannot read the transition matrix {path} ({e.Message.TrimEnd('.')}); give --transition a CSV of {classes} rows of {classes} numbers.");
        }
        return Parse(lines, path, classes);
    }

    public static double[,] Parse(IReadOnlyList<string> lines, string source, int classes)
    {
        var rows = new List<(int Line, double[] Values)>();
        for (int i = 0; i < lines.Count; i++)
        {
            var text = lines[i].Trim();
            if (text.Length == 0 || text.StartsWith('#')) continue;
            var cells = text.Split(',', StringSplitOptions.TrimEntries);
            var values = new double[cells.Length];
            for (int j = 0; j < cells.Length; j++)
            {
                if (!double.TryParse(cells[j], NumberStyles.Float, CultureInfo.InvariantCulture, out values[j]) || !double.IsFinite(values[j]))
                    throw new ShatterException($"{source} line {i + 1}: '{cells[j]}' is not a number; write each row as {classes} comma-separated probabilities.");
                if (values[j] < 0 || values[j] > 1)
                    throw new ShatterException($"{source} line {i + 1}: {cells[j]} is not a probability; every entry must be between 0 and 1.");
            }
            if (values.Length != classes)
                throw new ShatterException($"{source} line {i + 1} has {values.Length} entries but the dataset has {classes} classes; give every row {classes} entries.");
            double sum = values.Sum();
            if (Math.Abs(sum - 1) > SumTolerance)
                throw new ShatterException(string.Create(CultureInfo.InvariantCulture, $"{source} line {i + 1} sums to {sum:G6}, not 1; make every row a probability distribution."));
            rows.Add((i + 1, values));
        }
        if (rows.Count != classes)
            throw new ShatterException($"{source} has {rows.Count} rows but the dataset has {classes} classes; give one row per true class (a {classes}×{classes} matrix).");
        var m = new double[classes, classes];
        for (int i = 0; i < classes; i++)
            for (int j = 0; j < classes; j++)
                m[i, j] = rows[i].Values[j];
        return m;
    }
}
