using System.Text.Json;
using Shatter.Cli;
using Shatter.Results;
using Shatter.Tests.Results;

namespace Shatter.Tests.Cli;

public sealed class RunsCommandTests : IClassFixture<SweptDatabase>
{
    readonly SweptDatabase db;

    public RunsCommandTests(SweptDatabase db) => this.db = db;

    CliRunner.Result Runs(params string[] args) => CliRunner.Run(["runs", "--db", db.Db, .. args]);

    JsonElement[] Json(params string[] args)
    {
        var r = Runs([.. args, "--json"]);
        Assert.True(r.ExitCode == 0, r.Error);
        return [.. JsonDocument.Parse(r.Output).RootElement.EnumerateArray()];
    }

    [Fact]
    public void The_table_lists_every_run_with_its_axes_status_and_measures()
    {
        var r = Runs("--spec", "demo");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("all runs: spec=demo, scale=s, model=mlp-1x512", r.Output); // shared by every listed run: above the table
        Assert.Contains("randomization", r.Output);
        Assert.Contains("label noise 0.5", r.Output);
        Assert.Contains("failed", r.Output);
        Assert.Contains("6 of 8 runs", r.Output);
        using var store = SqliteStore.OpenExisting(db.Db);
        var done = store.Runs("demo", "s").First(x => x.Done);
        Assert.Contains(done.Hash[..8], r.Output);
        Assert.Contains((100 * done.Summary!.FinalTestAccuracy).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), r.Output);
    }

    [Fact]
    public void Json_rows_carry_the_axes_status_steps_to_fit_accuracies_and_wall_time_of_the_store()
    {
        var rows = Json();
        using var store = SqliteStore.OpenExisting(db.Db);
        var runs = store.Runs();
        Assert.Equal(runs.Select(x => (x.Spec, x.Hash)), rows.Select(x => (x.GetProperty("spec").GetString()!, x.GetProperty("hash").GetString()!)));
        foreach (var (row, run) in rows.Zip(runs))
        {
            Assert.Equal(run.Status, row.GetProperty("status").GetString());
            Assert.Equal(run.Point.ToDictionary(), row.GetProperty("axes").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString()));   // numbers for numeric axes (seed), text for the others
            var s = run.Summary;
            if (s is null)
            {
                Assert.Equal(JsonValueKind.Null, row.GetProperty("final_test_accuracy").ValueKind);
                continue;
            }
            Assert.Equal(s.FinalTestAccuracy, row.GetProperty("final_test_accuracy").GetDouble());
            Assert.Equal(s.FinalTrainAccuracy, row.GetProperty("final_train_accuracy").GetDouble());
            Assert.Equal(s.WallSeconds, row.GetProperty("wall_seconds").GetDouble());
            Assert.Equal(s.StepsToFit, row.GetProperty("steps_to_fit").ValueKind == JsonValueKind.Null ? null : row.GetProperty("steps_to_fit").GetInt64());
        }
    }

    [Fact]
    public void Where_filters_by_axis_option_status_and_hash_prefix()
    {
        var random = Json("--where", "randomization=Random Labels");
        Assert.Equal(2, random.Length);
        Assert.All(random, x => Assert.Equal("random labels", x.GetProperty("axes").GetProperty("randomization").GetString()));

        // options compare as numbers; different keys must all hold; a repeated key takes any of its values
        Assert.Equal(2, Json("--where", "label_noise=0.50").Length);
        Assert.Single(Json("--where", "label_noise=0.50", "--where", "seed=2"));
        Assert.Equal(6, Json("--where", "label_noise=0", "--where", "label_noise=1").Length); // demo: 2 + 2, other: 2
        Assert.Single(Json("--where", "weight_decay=0.0005"));

        var failed = Assert.Single(Json("--where", "status=failed"));
        var hash = failed.GetProperty("hash").GetString()!;
        Assert.Equal(hash, Assert.Single(Json("--where", $"hash={hash[..6]}")).GetProperty("hash").GetString());
        Assert.Equal(["other", "other"], Json("--spec", "other").Select(x => x.GetProperty("spec").GetString()));
    }

    [Fact]
    public void Csv_has_one_header_and_one_row_per_run_with_full_hashes()
    {
        var r = Runs("--spec", "demo", "--csv");
        Assert.True(r.ExitCode == 0, r.Error);
        var lines = r.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("hash,spec,scale,model,randomization,seed,status,epochs,steps_to_fit,final_train_accuracy,final_test_accuracy,wall_seconds", lines[0]);
        Assert.Equal(7, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.Matches("^[0-9a-f]{16},demo,s,mlp-1x512,", l));
    }

    [Theory]
    [InlineData(new[] { "--where", "randomisation=random labels" }, "unknown --where key 'randomisation'; use spec, scale, status or hash, an axis (model, randomization, seed, weight_decay) or a configuration option (")]
    [InlineData(new[] { "--where", "random labels" }, "--where takes KEY=VALUE")]
    [InlineData(new[] { "--spec", "figure9" }, "holds no runs of spec 'figure9'; it holds demo, other.")]
    [InlineData(new[] { "--json", "--csv" }, "--json and --csv exclude each other")]
    public void Bad_options_get_one_sentence_and_exit_code_2(string[] args, string message)
    {
        var r = Runs(args);
        Assert.Equal(ShatterApp.UserError, r.ExitCode);
        Assert.Contains(message, r.Error);
        Assert.Single(r.Error.Trim().Split('\n'));
        Assert.Empty(r.Output);
    }

    [Fact]
    public void A_missing_or_foreign_database_is_one_sentence()
    {
        var missing = CliRunner.Run("runs", "--db", Path.Combine(db.Dir, "nope.db"));
        Assert.Equal(ShatterApp.UserError, missing.ExitCode);
        Assert.Contains("no results database at", missing.Error);
        Assert.False(File.Exists(Path.Combine(db.Dir, "nope.db"))); // reading never creates one

        var text = Path.Combine(db.Dir, "notes.txt");
        File.WriteAllText(text, "not a database, just some words that are long enough to be read as a header");
        var foreign = CliRunner.Run("runs", "--db", text);
        Assert.Equal(ShatterApp.UserError, foreign.ExitCode);
        Assert.Contains("cannot read the results database", foreign.Error);
    }

    [Fact]
    public void Piped_the_table_keeps_each_run_on_one_line_however_wide()
    {
        const string Label = "a label long enough to push the table of runs well past the eighty columns of a terminal";
        var dir = Path.Combine(Path.GetTempPath(), "shatter-wide-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var file = Path.Combine(dir, "shatter.db");
            var spec = Shatter.Experiments.SpecParser.Parse($"name: wide\nscales: {{ s: {{ epochs: 1 }} }}\ngrid:\n  randomization:\n    - {{ name: {Label}, label_noise: 0 }}\n    - {{ name: b, label_noise: 1 }}\n", "wide.yaml");
            var planned = spec.Expand("s");
            using (var store = SqliteStore.Open(file)) store.Register("wide", "s", planned);
            // the real executable with its output in a pipe, as in 'shatter runs | less'
            var r = PipedShatter.Run("runs", "--db", file);
            Assert.True(r.ExitCode == 0, r.Error);
            var lines = r.Output.Split('\n');
            Assert.Contains(lines, l => l.Contains(planned[0].Hash[..8], StringComparison.Ordinal) && l.Contains(Label, StringComparison.Ordinal) && l.Contains("queued", StringComparison.Ordinal));
        }
        finally
        {
            Scratch.Delete(dir);
        }
    }
}
