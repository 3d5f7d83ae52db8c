using System.Text.Json;
using Shatter.Tests.Cli;

namespace Shatter.Tests.Theory;

public sealed class TheoryCliTests
{
    static JsonElement Json(CliRunner.Result r)
    {
        Assert.True(r.ExitCode == 0, r.Error + r.Output);
        return JsonDocument.Parse(r.Output).RootElement;
    }

    [Fact]
    public void Expressivity_json_has_its_figures_and_fits_exactly()
    {
        var j = Json(CliRunner.Run("expressivity", "--n", "200", "--d", "30", "--json"));
        Assert.Equal(200, j.GetProperty("n").GetInt32());
        Assert.Equal(30, j.GetProperty("d").GetInt32());
        Assert.Equal(2 * 200 + 30, j.GetProperty("weights").GetInt64());
        Assert.True(j.GetProperty("relative_residual").GetDouble() < 1e-8);
        Assert.Equal(JsonValueKind.Number, j.GetProperty("float32_relative_residual").ValueKind);
        Assert.True(j.GetProperty("exact").GetBoolean());
    }

    [Fact]
    public void Expressivity_sweep_says_where_float32_stops_being_exact()
    {
        var j = Json(CliRunner.Run("expressivity", "--sweep", "30,1500", "--d", "20", "--json"));
        var rows = j.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        Assert.True(rows[0].GetProperty("float32_exact").GetBoolean());
        Assert.Equal(1500, j.GetProperty("float32_first_inexact_n").GetInt32());
        Assert.Equal(JsonValueKind.Null, j.GetProperty("float64_first_inexact_n").ValueKind);
    }

    [Fact]
    public void Expressivity_on_a_dataset_predicts_off_the_sample_near_chance()
    {
        var j = Json(CliRunner.Run("expressivity", "--dataset", "fashion-mnist", "--n", "300", "--test-size", "500", "--label-noise", "1", "--depth", "3", "--json"));
        Assert.True(j.GetProperty("exact").GetBoolean());
        var test = j.GetProperty("test");
        Assert.Equal(500, test.GetProperty("count").GetInt32());
        Assert.InRange(test.GetProperty("accuracy").GetDouble(), 0, 0.3);
        Assert.True(j.GetProperty("deep").GetProperty("exact").GetBoolean());
    }

    [Fact]
    public void Kernel_json_has_its_figures()
    {
        var j = Json(CliRunner.Run("kernel", "--train-size", "200", "--test-size", "100", "--json"));
        foreach (var key in new[] { "train_error", "test_error", "rkhs_norm", "relative_residual", "kernel_seconds", "solve_seconds" })
            Assert.Equal(JsonValueKind.Number, j.GetProperty(key).ValueKind);
        Assert.Equal(0, j.GetProperty("train_error").GetDouble());
    }

    [Fact]
    public void Kernel_label_noise_sweep_writes_the_theory_page_with_plots()
    {
        var dir = Path.Combine(Path.GetTempPath(), "shatter-theory-" + Guid.NewGuid().ToString("N"));
        try
        {
            var j = Json(CliRunner.Run("kernel", "--train-size", "200", "--test-size", "100", "--label-noise-sweep", "0,0.5,1", "--report", dir, "--json"));
            var rows = j.GetProperty("sweep").EnumerateArray().ToList();
            Assert.Equal(3, rows.Count);
            Assert.True(rows[2].GetProperty("rkhs_norm").GetDouble() > rows[0].GetProperty("rkhs_norm").GetDouble());
            Assert.Equal(0, Json(CliRunner.Run("expressivity", "--n", "100", "--d", "10", "--report", dir, "--json")).GetProperty("n").GetInt32() - 100);
            string html = File.ReadAllText(Path.Combine(dir, "theory.html"));
            Assert.Contains("data:image/png;base64,", html);
            Assert.Contains("Theorem 1", html);
            Assert.Contains("label noise", html);
        }
        finally
        {
            Scratch.Delete(dir);
        }
    }

    [Fact]
    public void Minnorm_json_shows_sgd_from_zero_reaches_the_minimum_norm()
    {
        var j = Json(CliRunner.Run("minnorm", "--n", "20", "--d", "80", "--epochs", "200", "--json"));
        Assert.True(j.GetProperty("from_zero_relative_distance").GetDouble() < 1e-8);
        Assert.True(j.GetProperty("from_start_relative_distance").GetDouble() > 0.3);
    }

    [Theory]
    [InlineData("kernel", "--bandwidth", "-1")]
    [InlineData("kernel", "--train-size", "70000")]
    [InlineData("kernel", "--kernel", "sigmoid", "--train-size", "100")]
    [InlineData("expressivity", "--dataset", "fashion-mnist", "--n", "70000")]
    [InlineData("expressivity", "--n", "0")]
    [InlineData("expressivity", "--sweep", "10,x")]
    [InlineData("minnorm", "--n", "100", "--d", "10")]
    public void Bad_options_are_one_sentence_errors(params string[] args)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: ", r.Error);
        Assert.Single(r.Error.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", r.Error);
    }
}
