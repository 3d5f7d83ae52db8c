using Shatter.Corruptions;
using Shatter.Data;
using Shatter.Tests.Cli;

namespace Shatter.Tests.Data;

/// <summary>Regression tables from the tests' own small CSV files (the house-prices package is not needed).</summary>
public sealed class TabularDatasetTests
{
    /// <summary>A house-prices-shaped file: scikit-learn's count line, the header, three rows.</summary>
    static string HousePricesLike(TempFolder dir)
    {
        var path = dir["boston_house_prices.csv"];
        File.WriteAllLines(path,
        [
            "3,13,,,,,,,,,,,,",
            "\"CRIM\",\"ZN\",\"INDUS\",\"CHAS\",\"NOX\",\"RM\",\"AGE\",\"DIS\",\"RAD\",\"TAX\",\"PTRATIO\",\"B\",\"LSTAT\",\"MEDV\"",
            "0.00632,18,2.31,0,0.538,6.575,65.2,4.09,1,296,15.3,396.9,4.98,24",
            "0.02731,0,7.07,0,0.469,6.421,78.9,4.9671,2,242,17.8,396.9,9.14,21.6",
            "0.02729,0,7.07,0,0.469,7.185,61.1,4.9671,2,242,17.8,392.83,4.03,34.7",
        ]);
        return path;
    }

    [Fact]
    public void House_prices_drops_column_b_by_default_and_predicts_medv()
    {
        using var dir = new TempFolder();
        HousePricesLike(dir);
        var table = TabularDataset.Load("house-prices", dataDir: dir.Path);
        Assert.Equal(3, table.Rows);
        Assert.Equal(12, table.Features.Count);
        Assert.DoesNotContain("B", table.Features);
        Assert.Equal("LSTAT", table.Features[^1]);
        Assert.Equal([24, 21.6, 34.7], table.Y);
        Assert.Equal(4.03, table.X[2][^1]);
        var withB = TabularDataset.Load("house-prices", dataDir: dir.Path, keepB: true);
        Assert.Equal(13, withB.Features.Count);
    }

    [Fact]
    public void A_user_csv_takes_its_target_column_and_every_other_column_as_features()
    {
        using var dir = new TempFolder();
        File.WriteAllLines(dir["t.csv"], ["size,rooms,price,age", "100,3,250.5,10", "80,2,199,30"]);
        var table = TabularDataset.Load($"csv:{dir["t.csv"]}", "price");
        Assert.Equal(["size", "rooms", "age"], table.Features);
        Assert.Equal([250.5, 199], table.Y);
        Assert.Equal([80, 2, 30], table.X[1]);
    }

    [Theory]
    [InlineData(new[] { "a,b", "1,2", "3,4" }, "nope", "has no column 'nope'; its columns are a, b")]
    [InlineData(new[] { "a,b", "1,2", "3" }, "b", "line 3 has 1 cells but the header has 2")]
    [InlineData(new[] { "a,b", "1,2", "x,4" }, "b", "line 3, column a: 'x' is not a number")]
    [InlineData(new[] { "a,b", "1,2" }, "b", "holds 1 data rows")]
    public void Bad_tables_are_one_sentence_errors(string[] lines, string target, string expected)
    {
        using var dir = new TempFolder();
        File.WriteAllLines(dir["t.csv"], lines);
        var e = Assert.Throws<ShatterException>(() => TabularDataset.Load($"csv:{dir["t.csv"]}", target));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_user_csv_without_target_and_a_missing_table_say_what_to_give()
    {
        Assert.Contains("needs --target COLUMN", Assert.Throws<ShatterException>(() => TabularDataset.Load("csv:/x.csv")).Message);
        Assert.Contains("cannot read the table", Assert.Throws<ShatterException>(() => TabularDataset.Load("csv:/no/such.csv", "y")).Message);
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.5, 50)]
    [InlineData(1.0, 100)]
    public void Shuffling_moves_a_fraction_p_of_targets_and_keeps_their_values(double p, int chosen)
    {
        var y = Enumerable.Range(0, 100).Select(i => (double)i).ToArray();
        var (shuffled, mask) = TargetNoise.Shuffle(y, p, seed: 3);
        Assert.Equal(chosen, mask.Count(m => m));
        Assert.Equal(y, shuffled.Order()); // a permutation: the same values
        for (int i = 0; i < y.Length; i++)
            if (!mask[i]) Assert.Equal(y[i], shuffled[i]);
        if (p == 1) Assert.True(shuffled.Where((v, i) => v != y[i]).Count() > 90);
        Assert.Equal(shuffled, TargetNoise.Shuffle(y, p, seed: 3).Targets);
    }

    [Fact]
    public void Gaussian_targets_and_random_inputs_match_the_mean_and_variance()
    {
        var y = Enumerable.Range(0, 4000).Select(i => 20 + (i % 7)).Select(v => (double)v).ToArray();
        var g = TargetNoise.Gaussian(y, seed: 1);
        double mean = y.Average(), std = Math.Sqrt(y.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(g.Average(), mean - 4 * std / Math.Sqrt(4000), mean + 4 * std / Math.Sqrt(4000));
        double gStd = Math.Sqrt(g.Average(v => (v - g.Average()) * (v - g.Average())));
        Assert.InRange(gStd, 0.95 * std, 1.05 * std);
        var x = y.Select(v => new[] { v, 1000 + 10 * v }).ToArray();
        var r = TargetNoise.RandomInputs(x, seed: 2);
        Assert.InRange(r.Average(row => row[1]), 1000 + 10 * mean - 1, 1000 + 10 * mean + 1);
        Assert.NotEqual(x[0][1], r[0][1]);
    }

    [Fact]
    public void Expressivity_fits_a_tables_targets_exactly_with_2n_plus_d_weights()
    {
        using var dir = new TempFolder();
        var rng = new Random(5);
        var lines = new List<string> { "size,rooms,age,price" };
        for (int i = 0; i < 60; i++) lines.Add($"{rng.Next(50, 300)},{rng.Next(1, 8)},{rng.Next(0, 90)},{rng.Next(100, 900)}");
        File.WriteAllLines(dir["houses.csv"], lines);
        var result = CliRunner.Run("expressivity", "--dataset", $"csv:{dir["houses.csv"]}", "--target", "price", "--n", "60", "--json");
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("\"weights\": 123", result.Output); // 2·60 + 3
        var noTarget = CliRunner.Run("expressivity", "--dataset", $"csv:{dir["houses.csv"]}");
        Assert.Equal(2, noTarget.ExitCode);
        Assert.Contains("needs --target COLUMN", noTarget.Error);
    }
}
