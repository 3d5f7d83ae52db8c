using System.Globalization;

namespace Shatter.Data;

/// <summary>
/// A regression table: n rows of d real features and one real target, read from a CSV.
/// <list type="bullet">
/// <item><c>house-prices</c>: the Boston house-prices table (Harrison and Rubinfeld 1978; 506 rows, 13
/// features → MEDV, the median home value in $1000s) as Debian's python3-sklearn ships it
/// (<see cref="HousePricesFile"/>), or from --data-dir / $SHATTER_DATA. Its column B,
/// 1000·(Bk − 0.63)² with Bk the proportion of Black residents, is dropped by default: it encodes a
/// racial assumption (the authors posited that house values fall and then rise with it), which is why
/// scikit-learn retired the dataset in 1.2. Keep it with <c>keepB</c> only to compare with old results.</item>
/// <item><c>csv:PATH</c>: any CSV with a header row of column names and numeric cells; the target column is
/// named by <c>--target</c>, every other column is a feature.</item>
/// </list>
/// Every problem with a file is one sentence naming the file, the line or column and the fix.
/// </summary>
public sealed record TabularDataset(string Name, string Source, IReadOnlyList<string> Features, string Target, double[][] X, double[] Y)
{
    public const string HousePrices = "house-prices";
    public const string HousePricesFile = "/usr/lib/python3/dist-packages/sklearn/datasets/data/boston_house_prices.csv";
    public const string HousePricesTarget = "MEDV";

    public int Rows => Y.Length;

    /// <summary>Is <paramref name="name"/> a tabular dataset (house-prices or csv:PATH)?</summary>
    public static bool IsTabular(string name) =>
        name.Equals(HousePrices, StringComparison.OrdinalIgnoreCase) || name.StartsWith("csv:", StringComparison.OrdinalIgnoreCase);

    public static TabularDataset Load(string name, string? target = null, string? dataDir = null, bool keepB = false)
    {
        if (name.Equals(HousePrices, StringComparison.OrdinalIgnoreCase))
        {
            if (target is not null && target != HousePricesTarget)
                throw new ShatterException($"house-prices predicts {HousePricesTarget}; drop --target, or read the file as csv:PATH to predict '{target}'.");
            var path = HousePricesPath(dataDir);
            var table = Read(path, HousePricesTarget, skipCountLine: true);
            return keepB ? table with { Name = HousePrices } : table.Without("B") with { Name = HousePrices };
        }
        if (name.StartsWith("csv:", StringComparison.OrdinalIgnoreCase))
        {
            var path = name[4..];
            if (string.IsNullOrWhiteSpace(target))
                throw new ShatterException($"--dataset {name} needs --target COLUMN, the column to predict.");
            return Read(path, target, skipCountLine: false) with { Name = name };
        }
        throw new ShatterException($"'{name}' is not a tabular dataset; use house-prices or csv:PATH with --target COLUMN.");
    }

    static string HousePricesPath(string? dataDir)
    {
        var candidates = new List<string>();
        foreach (var root in new[] { dataDir, Environment.GetEnvironmentVariable(DatasetCatalog.EnvironmentVariable) })
            if (!string.IsNullOrEmpty(root))
            {
                candidates.Add(Path.Combine(root, "boston_house_prices.csv"));
                candidates.Add(Path.Combine(root, HousePrices, "boston_house_prices.csv"));
            }
        candidates.Add(HousePricesFile);
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new ShatterException($"the house-prices table is not installed (looked for {string.Join(", ", candidates)}); install it with 'apt-get install python3-sklearn' or pass --data-dir a folder holding boston_house_prices.csv.");
    }

    /// <summary>The table without one feature column (a no-op when it has none).</summary>
    public TabularDataset Without(string column)
    {
        int at = Features.ToList().IndexOf(column);
        if (at < 0) return this;
        return this with
        {
            Features = [.. Features.Where((_, i) => i != at)],
            X = [.. X.Select(row => row.Where((_, i) => i != at).ToArray())],
        };
    }

    static TabularDataset Read(string path, string target, bool skipCountLine)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ShatterException($"cannot read the table {path} ({e.Message.TrimEnd('.')}); give a CSV file with a header row.");
        }
        int first = 0;
        // scikit-learn's copy starts with a line "506,13,,..." (rows, features) before the header
        if (skipCountLine && lines.Length > 0 && lines[0].Split(',')[0].Trim().All(char.IsDigit)) first = 1;
        while (first < lines.Length && lines[first].Trim().Length == 0) first++;
        if (first >= lines.Length) throw new ShatterException($"{path} is empty; give a CSV with a header row and at least two rows of numbers.");
        var header = lines[first].Split(',').Select(h => h.Trim().Trim('"')).ToArray();
        int targetAt = Array.IndexOf(header, target);
        if (targetAt < 0)
            throw new ShatterException($"{path} has no column '{target}'; its columns are {string.Join(", ", header)}.");
        var xs = new List<double[]>();
        var ys = new List<double>();
        for (int i = first + 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            var cells = lines[i].Split(',');
            if (cells.Length != header.Length)
                throw new ShatterException($"{path} line {i + 1} has {cells.Length} cells but the header has {header.Length}; give every row one value per column.");
            var row = new double[header.Length - 1];
            for (int j = 0, k = 0; j < cells.Length; j++)
            {
                var text = cells[j].Trim().Trim('"');
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
                    throw new ShatterException($"{path} line {i + 1}, column {header[j]}: '{text}' is not a number; every cell must be numeric (encode categories as numbers).");
                if (j == targetAt) ys.Add(v);
                else row[k++] = v;
            }
            xs.Add(row);
        }
        if (ys.Count < 2) throw new ShatterException($"{path} holds {ys.Count} data rows; give at least two.");
        return new TabularDataset(path, path, [.. header.Where((_, j) => j != targetAt)], target, [.. xs], [.. ys]);
    }
}
