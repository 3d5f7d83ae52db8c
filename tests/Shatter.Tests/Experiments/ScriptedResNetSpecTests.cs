using System.Text.Json.Nodes;
using Shatter.Tests.Cli;
using Shatter.Tests.Data;

namespace Shatter.Tests.Experiments;

/// <summary>
/// experiments/examples/scripted-resnet.yaml and the script that writes its model: the ResNet-style net written by
/// experiments/examples/scripted_resnet.py (Debian's python3-torch) fits random labels in a sweep of the spec. The model
/// path is the test's own file and the dataset 64 training and 50 test images of random 8×8 pixels (so it runs in seconds and needs no dataset installed);
/// everything else is the spec's dry-run scale as written.
/// </summary>
public sealed class ScriptedResNetSpecTests
{
    [Fact]
    public void The_example_specs_scripted_resnet_fits_random_labels_in_a_sweep()
    {
        Python.Require("torch", "python3-torch");
        using var folder = new TempFolder();
        var examples = Path.Combine(Checkout.Root, "experiments", "examples");
        var said = Python.Run(folder.Path, File.ReadAllText(Path.Combine(examples, "scripted_resnet.py")), "--out", folder["net.pt"]);
        Assert.Contains("19706 parameters", said);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(folder["net.pt"])));

        var spec = File.ReadAllText(Path.Combine(examples, "scripted-resnet.yaml"));
        Assert.Contains("torchscript:results/scripted-resnet.pt", spec);
        File.WriteAllText(folder["scripted-resnet.yaml"], spec.Replace("torchscript:results/scripted-resnet.pt", "torchscript:" + folder["net.pt"]));
        var random = new Random(7);
        byte[] Pixels(int n) { var b = new byte[n * 64]; random.NextBytes(b); return b; }
        NpyFiles.Npz(folder["random.npz"], new Dictionary<string, byte[]>
        {
            ["x_train"] = NpyFiles.Npy("|u1", [64, 8, 8], Pixels(64)),
            ["y_train"] = NpyFiles.Npy("<i8", [64], NpyFiles.Longs(Enumerable.Range(0, 64).Select(i => (long)(i % 10)))),
            ["x_test"] = NpyFiles.Npy("|u1", [50, 8, 8], Pixels(50)),                     // the scale's test_size
            ["y_test"] = NpyFiles.Npy("<i8", [50], NpyFiles.Longs(Enumerable.Range(0, 50).Select(i => (long)(i % 10)))),
        });

        var r = CliRunner.Run("sweep", folder["scripted-resnet.yaml"], "--scale", "dry-run", "--db", folder["shatter.db"], "--dataset", "npz:" + folder["random.npz"], "--threads", "1");
        Assert.True(r.ExitCode == 0, r.Output + r.Error);
        Assert.Contains("(dry-run): 2 of 2 runs done, 0 failed", r.Output);
        var runs = Directory.GetDirectories(folder["runs"]).Select(d => (Run: JsonNode.Parse(File.ReadAllText(Path.Combine(d, "run.json")))!,
            Summary: JsonNode.Parse(File.ReadAllText(Path.Combine(d, "summary.json")))!)).ToList();
        Assert.Equal(2, runs.Count);
        Assert.All(runs, x => Assert.Equal(sha, x.Run["config"]!["model_sha256"]!.GetValue<string>()));
        var randomLabels = runs.Single(x => x.Run["config"]!["label_noise"]!.GetValue<double>() == 1);
        Assert.True(randomLabels.Summary["steps_to_fit"] is not null, $"random labels did not fit: {randomLabels.Summary.ToJsonString()}");
        Assert.Equal(1.0, randomLabels.Summary["final_train_accuracy"]!.GetValue<double>());
        Assert.True(randomLabels.Summary["fraction_labels_changed"]!.GetValue<double>() > 0.5);
    }
}
