using System.Diagnostics;
using System.Text.Json.Nodes;
using Shatter.Tests.Cli;
using Shatter.Training;

namespace Shatter.Tests.Results;

/// <summary>
/// <c>export-db --format parquet</c> types its columns from a declared schema, checked the way users read the files:
/// DuckDB (npm's @duckdb/node-api, tests/duckdb/read.mjs) reading two exports together with read_parquet([a, b]). One
/// database's runs all fitted (final train accuracy 1, steps_to_fit set), the other's did not (0.9995, steps_to_fit null
/// everywhere): final_train_accuracy is DOUBLE in both and keeps 0.9995, the all-null column is typed, and the seed axis
/// is an integer in Parquet, CSV and <c>runs --json</c> alike.
/// </summary>
public sealed class DuckDbReadTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "shatter-duckdb-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Scratch.Delete(dir);
    }

    string Database(string name, double accuracy, long? stepsToFit)
    {
        var db = Path.Combine(dir, name, "shatter.db");
        using var store = Shatter.Results.SqliteStore.Open(db);
        var plan = StoreContractTests.Plan(2, firstSeed: name == "a" ? 1 : 3);
        store.Register("s", "q", plan);
        foreach (var _ in plan)
        {
            var run = store.Claim(new Shatter.Results.ClaimRequest("s", "q", "me", new HashSet<string>(), TimeSpan.FromHours(1)))!;
            var summary = Shatter.Json.Serialize(new TrainSummary { FinalTrainAccuracy = accuracy, StepsToFit = stepsToFit });
            Assert.True(store.Complete(run.Run.Hash, "me", new Shatter.Results.RunResult(summary, null, [new EpochMetrics(0, 0, 0.1, 1, accuracy, 1, 0.5, 0)], [], [], 1)));
        }
        return db;
    }

    static string Node(string folder, params string[] args)
    {
        var info = new ProcessStartInfo(args[0]) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args.Skip(1)) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{string.Join(' ', args)} failed: {error.Result}{output.Result}");
        return output.Result;
    }

    [Fact]
    public void Two_parquet_exports_read_together_by_duckdb_keep_their_declared_types_and_values()
    {
        var tool = Path.Combine(Checkout.Root, "tests", "duckdb");
        if (!Directory.Exists(Path.Combine(tool, "node_modules", "@duckdb", "node-api")))
            Node(tool, "npm", "ci", "--no-audit", "--no-fund");   // the pinned DuckDB client (package-lock.json)
        var files = new List<string>();
        foreach (var (name, accuracy, steps) in new[] { ("a", 1.0, (long?)120), ("b", 0.9995, null) })
        {
            var out_ = Path.Combine(dir, name, "export");
            var export = CliRunner.Run("export-db", "--db", Database(name, accuracy, steps), "--format", "parquet", "--out", out_);
            Assert.True(export.ExitCode == 0, export.Error);
            files.Add(Path.Combine(out_, "runs.parquet"));
        }
        var read = JsonNode.Parse(Node(tool, "node", "read.mjs", "seed, final_train_accuracy, steps_to_fit", files[0], files[1]))!;
        Assert.Equal("BIGINT", (string?)read["types"]!["seed"]);
        Assert.Equal("DOUBLE", (string?)read["types"]!["final_train_accuracy"]);
        Assert.Equal("BIGINT", (string?)read["types"]!["steps_to_fit"]);
        var rows = read["rows"]!.AsArray();
        Assert.Equal(["1", "2", "3", "4"], rows.Select(r => r!["seed"]!.ToString()));
        Assert.Equal([1.0, 1.0, 0.9995, 0.9995], rows.Select(r => double.Parse(r!["final_train_accuracy"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture)));

        var csv = CliRunner.Run("export-db", "--db", Path.Combine(dir, "b", "shatter.db"), "--format", "csv", "--out", Path.Combine(dir, "csv"));
        Assert.True(csv.ExitCode == 0, csv.Error);
        var lines = File.ReadAllLines(Path.Combine(dir, "csv", "runs.csv"));
        int seed = Array.IndexOf(lines[0].Split(','), "seed");
        Assert.Equal("3", lines[1].Split(',')[seed]);
        var json = JsonNode.Parse(CliRunner.Run("runs", "--db", Path.Combine(dir, "b", "shatter.db"), "--json").Output)!.AsArray();
        Assert.Equal(System.Text.Json.JsonValueKind.Number, json[0]!["axes"]!["seed"]!.GetValueKind());
    }
}
