using System.Diagnostics;
using System.Globalization;
using Shatter.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Tests.Models;

/// <summary>The registry's autoencoders: sizes counted by hand and by PyTorch, image-shaped output, learning, bad names.</summary>
public sealed class AutoencoderTests
{
    const string Python = "/usr/bin/python3";

    [Theory]
    // MLP: d·w₁ + w₁ + Σ(wᵢ·wᵢ₊₁ + wᵢ₊₁) + w_last·d + d (PyTorch's Linear: weight (out, in) + bias (out)), d = C·H·W
    [InlineData("ae-mlp-2x64", 1, 8, 8, 64 * 64 + 64 + (64 * 64 + 64) + 64 * 64 + 64)]
    [InlineData("ae-mlp-3x512", 3, 28, 28, 2352 * 512 + 512 + 2 * (512 * 512 + 512) + 512 * 2352 + 2352)]
    [InlineData("ae-mlp-256-32-256", 1, 28, 28, 784 * 256 + 256 + (256 * 32 + 32) + (32 * 256 + 256) + 256 * 784 + 784)]
    // conv: C·ch·k² + ch + (depth − 1)(ch²·k² + ch) + ch·C·k² + C (Conv2d: weight (out, in, k, k) + bias (out))
    [InlineData("ae-conv-4x64", 3, 28, 28, 3 * 64 * 9 + 64 + 3 * (64 * 64 * 9 + 64) + 64 * 3 * 9 + 3)]
    [InlineData("ae-conv-2x16-k5", 1, 28, 28, 1 * 16 * 25 + 16 + (16 * 16 * 25 + 16) + 16 * 1 * 25 + 1)]
    [InlineData("ae-conv-1x8-k1", 3, 32, 32, 3 * 8 + 8 + 8 * 3 + 3)]
    public void Autoencoders_have_their_hand_counted_parameter_counts(string name, int c, int h, int w, long expected)
    {
        using var model = ModelRegistry.CreateAutoencoder(name, (c, h, w));
        Assert.Equal(expected, ModelRegistry.ParameterCount(model));
    }

    [Fact]
    public void PyTorch_builds_the_same_autoencoders_with_the_same_parameter_counts_and_output_shapes()
    {
        // name, input, and the architecture as PyTorch's nn.Sequential of Linear/Conv2d + ReLU would spell it
        (string Name, int C, int H, int W, string Torch)[] cases =
        [
            ("ae-mlp-3x512", 3, 28, 28, "mlp 512,512,512"),
            ("ae-mlp-1024-128-1024", 1, 28, 28, "mlp 1024,128,1024"),
            ("ae-conv-4x64", 3, 32, 32, "conv 4 64 3"),
            ("ae-conv-6x32-k5", 1, 28, 28, "conv 6 32 5"),
        ];
        var lines = cases.Select(k => $"{k.C} {k.H} {k.W} {k.Torch}").ToArray();
        var output = RunPython(Script, string.Join("\n", lines) + "\n");
        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(cases.Length, rows.Length);
        for (int i = 0; i < cases.Length; i++)
        {
            var (name, c, h, w, _) = cases[i];
            var fields = rows[i].Split(' ');
            using var model = ModelRegistry.CreateAutoencoder(name, (c, h, w));
            Assert.Equal(long.Parse(fields[0], CultureInfo.InvariantCulture), ModelRegistry.ParameterCount(model));
            Assert.Equal($"{c}x{h}x{w}", fields[1]); // PyTorch's output shape of the same architecture: the image's
        }
    }

    // Reads "C H W mlp w1,w2,..." or "C H W conv depth channels kernel" per line; prints "params CxHxW" of the output.
    const string Script = """
        import sys, torch, torch.nn as nn
        for line in sys.stdin:
            f = line.split()
            if not f: continue
            c, h, w, kind = int(f[0]), int(f[1]), int(f[2]), f[3]
            layers = []
            if kind == "mlp":
                d, prev = c * h * w, c * h * w
                for width in map(int, f[4].split(",")):
                    layers += [nn.Linear(prev, width), nn.ReLU()]
                    prev = width
                net = nn.Sequential(nn.Flatten(), *layers, nn.Linear(prev, d), nn.Unflatten(1, (c, h, w)))
            else:
                depth, ch, k = int(f[4]), int(f[5]), int(f[6])
                prev = c
                for _ in range(depth):
                    layers += [nn.Conv2d(prev, ch, k, padding=k // 2), nn.ReLU()]
                    prev = ch
                net = nn.Sequential(*layers, nn.Conv2d(prev, c, k, padding=k // 2))
            out = net(torch.zeros(2, c, h, w))
            print(sum(p.numel() for p in net.parameters()), "x".join(str(s) for s in out.shape[1:]))
        """;

    [Theory]
    [InlineData("ae-mlp-2x64", 1, 28, 28)]
    [InlineData("ae-mlp-2x64", 3, 32, 32)]
    [InlineData("ae-mlp-128-16-128", 3, 12, 20)]
    [InlineData("ae-conv-3x8", 1, 28, 28)]
    [InlineData("ae-conv-2x8-k5", 3, 12, 20)]
    public void Output_has_the_input_shape_and_is_finite(string name, int c, int h, int w)
    {
        torch.manual_seed(1);
        using var model = ModelRegistry.CreateAutoencoder(name, (c, h, w));
        using var input = randn(3, c, h, w);
        using var _ = no_grad();
        using var output = model.call(input);
        Assert.Equal(new long[] { 3, c, h, w }, output.shape);
        Assert.True(output.isfinite().all().item<bool>());
        Assert.False(output.allclose(input)); // an untrained map is not the identity
    }

    [Theory]
    [InlineData("ae-mlp-3x512")]
    [InlineData("ae-conv-2x16")]
    public void Sgd_with_momentum_at_the_default_rate_fits_a_few_images(string name)
    {
        torch.manual_seed(7);
        var spec = ModelRegistry.DescribeAutoencoder(name);
        using var model = ModelRegistry.CreateAutoencoder(name, (1, 28, 28));
        using var x = randn(8, 1, 28, 28);
        using var sgd = new Shatter.Training.Sgd(model.parameters(), spec.DefaultLearningRate, momentum: 0.9);
        double first = 0, last = 0;
        for (int step = 0; step <= Steps; step++)
        {
            using var scope = NewDisposeScope();
            sgd.ZeroGrad();
            var loss = nn.functional.mse_loss(model.call(x), x);
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
            if (step < Steps)
            {
                loss.backward();
                sgd.Step();
            }
        }
        Assert.True(double.IsFinite(last));
        // measured at seed 7: ae-mlp-3x512 1.02 → 0.003 and ae-conv-2x16 0.96 → 0.05 in 100 steps; ask for half in 60
        Assert.True(last < 0.5 * first, $"{name}: reconstruction loss went from {first} to {last}");
    }

    const int Steps = 60;

    [Theory]
    [InlineData("ae-mlp-2x64", "hidden.0.weight", "hidden.1.bias", "output.weight", "output.bias")]
    [InlineData("ae-conv-2x8", "hidden.0.weight", "hidden.1.bias", "output.weight")]
    public void State_dict_keys_are_the_layer_names(string name, params string[] keys)
    {
        using var model = ModelRegistry.CreateAutoencoder(name, (1, 8, 8));
        var stateKeys = model.state_dict().Keys.ToHashSet();
        foreach (var key in keys) Assert.Contains(key, stateKeys);
        Assert.Equal(6, stateKeys.Count); // two hidden layers and the output, weight and bias each: no other parameter or buffer
    }

    [Fact]
    public void Known_autoencoders_are_listed_apart_from_the_classifiers_and_are_recognised_by_their_prefix()
    {
        var names = ModelRegistry.KnownAutoencoders.Select(s => s.Name).ToList();
        Assert.Equal(["ae-mlp-3x512", "ae-conv-4x64"], names);
        Assert.DoesNotContain(ModelRegistry.Known, m => m.Name.StartsWith("ae-"));
        Assert.All(ModelRegistry.KnownAutoencoders, s => Assert.StartsWith("ae-", s.Family));
        Assert.True(ModelRegistry.IsAutoencoder(" AE-mlp-2x8"));
        Assert.False(ModelRegistry.IsAutoencoder("mlp-2x8"));
        Assert.Equal("conv autoencoder, 2 stride-1 5x5 convs of 16 channels, linear output", ModelRegistry.DescribeAutoencoder("AE-CONV-2x16-k5").Description);
    }

    [Theory]
    [InlineData("ae-mlp-0x64", "depth from 1")]
    [InlineData("ae-mlp-17x64", "depth from 1")]
    [InlineData("ae-mlp-0", "widths must be")]
    [InlineData("ae-conv-0x8", "depth (hidden convolutions)")]
    [InlineData("ae-conv-2x0", "channels must be")]
    [InlineData("ae-conv-2x8-k4", "must be odd")]
    [InlineData("ae-conv-2x8-k17", "must be odd")]
    [InlineData("ae-resnet", "unknown autoencoder")]
    [InlineData("mlp-2x64", "unknown autoencoder")]
    public void Bad_autoencoder_names_are_one_sentence_errors(string name, string expected)
    {
        var e = Assert.Throws<ShatterException>(() => ModelRegistry.DescribeAutoencoder(name));
        Assert.Contains(expected, e.Message);
        Assert.EndsWith(".", e.Message);
    }

    [Fact]
    public void An_empty_input_side_is_an_error()
    {
        var e = Assert.Throws<ShatterException>(() => ModelRegistry.CreateAutoencoder("ae-mlp-2x8", (1, 0, 28)));
        Assert.Contains("empty side", e.Message);
    }

    [Theory]
    [InlineData("ae-mlp-2x64")]
    [InlineData("ae-conv-2x8")]
    public void Forward_leaves_no_live_temporaries_behind(string name)
    {
        using var model = ModelRegistry.CreateAutoencoder(name, (1, 28, 28));
        using var input = randn(2, 1, 28, 28);
        model.call(input).Dispose();
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        model.call(input).Dispose();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    static string RunPython(string script, string input)
    {
        if (!File.Exists(Python)) Assert.Fail($"{Python} is missing; install python3-torch (scripts/setup.sh does).");
        var start = new ProcessStartInfo(Python, ["-c", script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(start)!;
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3))) { process.Kill(); Assert.Fail("the PyTorch count ran over 3 minutes"); }
        Assert.True(process.ExitCode == 0, $"{Python} failed (python3-torch installed? scripts/setup.sh installs it): {stderr.Result}");
        return stdout;
    }
}
