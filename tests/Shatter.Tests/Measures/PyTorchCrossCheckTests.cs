using System.Diagnostics;
using System.Text.Json.Nodes;
using Shatter.Measures;
using Shatter.Tests.Cli;
using Shatter.Tests.Data;
using Shatter.Training;
using Shatter.Results;

namespace Shatter.Tests.Measures;

/// <summary>
/// bench/measures_check.py, the independent PyTorch implementation of the deterministic measures (its own
/// forward passes, batch-norm folding, margins and norms), run by Debian's /usr/bin/python3 on two tiny real
/// runs: an MLP and an Inception with batch norm (so the folding is cross-checked too).
/// </summary>
[Collection(Training.SerialTorchRandom.Name)]
public sealed class PyTorchCrossCheckTests
{
    const string Python = "/usr/bin/python3";

    [Fact]
    public void PyTorch_recomputes_the_margins_and_norms_of_an_mlp_and_an_inception_run_within_1e_4_and_flags_a_changed_value()
    {
        RealData.RequireFashionMnist();
        RequireTorch();
        using var folder = new TempFolder();
        var mlp = folder["mlp"];
        var inception = folder["inception"];
        Trainer.Run(new TrainConfig { TrainSize = 200, TestSize = 50, Model = "mlp-1x16", Epochs = 3, BatchSize = 20, Threads = 1 }, mlp);
        Trainer.Run(new TrainConfig { TrainSize = 32, TestSize = 32, Model = "inception", Epochs = 1, BatchSize = 16, Threads = 1 }, inception);
        foreach (var run in new[] { mlp, inception })
        {
            var m = CliRunner.Run("measures", run, "--groups", "norms,operator-norms", "--threads", "1");
            Assert.True(m.ExitCode == 0, m.Error);
            var e = CliRunner.Run("export", run, "--training-data", Path.Combine(run, "training-data.pt"));
            Assert.True(e.ExitCode == 0, e.Error);
        }

        var (code, output) = Check(mlp, inception);
        Assert.True(code == 0, output);
        Assert.EndsWith("PASS", output.TrimEnd());
        foreach (var name in new[] { "margin_p10", "margin_min", "train_accuracy", "frobenius_product", "spectral_complexity", "path_norm", "distance_from_init", "operator_product" })
            Assert.Equal(2, output.Split('\n').Count(l => l.TrimStart().StartsWith(name + " ", StringComparison.Ordinal) && l.Contains("relative difference")));
        Assert.Contains("(inception, 32 training examples, 20 weight layers;", output);

        // a Shatter value off by 1e-3 relative is caught: the check can fail
        var path = Path.Combine(mlp, MeasureFile.FileName);
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        json["values"]!["spectral_complexity"] = json["values"]!["spectral_complexity"]!.GetValue<double>() * 1.001;
        File.WriteAllText(path, json.ToJsonString());
        var (badCode, badOutput) = Check(mlp);
        Assert.Equal(1, badCode);
        Assert.Contains("FAIL", badOutput.Split('\n').Single(l => l.TrimStart().StartsWith("spectral_complexity ", StringComparison.Ordinal) && l.Contains("1.0e-03")));
        Assert.EndsWith("FAIL", badOutput.TrimEnd());
    }

    static (int Code, string Output) Check(params string[] runs)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(Checkout.Root, "bench", "measures_check.py"));
        foreach (var r in runs) start.ArgumentList.Add(r);
        start.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) { process.Kill(); Assert.Fail("bench/measures_check.py ran over 5 minutes"); }
        return (process.ExitCode, stdout + stderr.Result);
    }

    static void RequireTorch()
    {
        var start = new ProcessStartInfo(Python, ["-c", "import torch"]) { RedirectStandardError = true };
        using var process = File.Exists(Python) ? Process.Start(start) : null;
        process?.WaitForExit();
        if (process is null || process.ExitCode != 0)
            Assert.Fail($"{Python} has no torch; install it with 'apt-get install python3-torch libopenblas0-pthread' (scripts/setup.sh does).");
    }

}
