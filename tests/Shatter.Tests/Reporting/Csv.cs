namespace Shatter.Tests.Reporting;

/// <summary>Reads the report's small CSV tables (no quoted commas in the cells the tests read) as rows of column → cell.</summary>
static class Csv
{
    public static List<Dictionary<string, string>> Read(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        return [.. lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second))];
    }
}
