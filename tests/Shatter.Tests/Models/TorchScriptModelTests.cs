using System.IO.Compression;
using System.Text.Json;
using Shatter.Data;
using Shatter.Models;
using Shatter.Tests.Data;
using Shatter.Training;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Shatter.Tests.Models;

/// <summary>
/// TorchScript models written by Debian's python3-torch (PyTorch 1.13) in the test's own folder, loaded by libtorch 2.10
/// through TorchSharp, trained by Shatter's Sgd and compared with PyTorch training the same file on the same batches.
/// </summary>
[Collection(Training.SerialTorchRandom.Name)]
public sealed class TorchScriptModelTests(TorchScriptModelTests.Models models, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<TorchScriptModelTests.Models>
{
    public const double LearningRate = 0.05, Momentum = 0.9, WeightDecay = 5e-4;
    public const int Batch = 16, Epochs = 3;

    /// <summary>Every model and data file of these tests, from one run of <see cref="Generator"/>.</summary>
    public sealed class Models : IDisposable
    {
        readonly TempFolder folder = new();

        public Models()
        {
            Python.Require("torch", "python3-torch");
            Facts = JsonDocument.Parse(Python.Run(folder.Path, Generator, $"{LearningRate}", $"{Momentum}", $"{WeightDecay}", $"{Batch}", $"{Epochs}")).RootElement;
        }

        public JsonElement Facts { get; }
        public string this[string name] => folder[name];
        public string Folder => folder.Path;
        public void Dispose() => folder.Dispose();
    }

    const string Generator = """
        import hashlib, json, sys, numpy as np, torch
        from torch import nn
        import torch.nn.functional as F
        torch.set_num_threads(1)
        lr, momentum, wd, batch, epochs = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
        torch.manual_seed(0)

        class Cnn(nn.Module):                                   # (B, 1, 8, 8) -> (B, 5)
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(1, 4, 3, padding=1)
                self.bn = nn.BatchNorm2d(4)
                self.fc = nn.Linear(4 * 8 * 8, 5)
            def forward(self, x):
                return self.fc(torch.flatten(F.relu(self.bn(self.conv(x))), 1))

        class Block(nn.Module):
            def __init__(self, c):
                super().__init__()
                self.conv1, self.bn1 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)
                self.conv2, self.bn2 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)
            def forward(self, x):
                return F.relu(x + self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))))

        class ResNet(nn.Module):                                # (B, 3, 16, 16) -> (B, 10)
            def __init__(self):
                super().__init__()
                self.stem, self.bn = nn.Conv2d(3, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16)
                self.layer1 = nn.Sequential(Block(16), Block(16))
                self.fc = nn.Linear(16, 10)
            def forward(self, x):
                x = self.layer1(F.relu(self.bn(self.stem(x))))
                return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))

        class Text(nn.Module):                                  # int64 (B, 6) -> (B, 3)
            def __init__(self):
                super().__init__()
                self.embed, self.fc = nn.Embedding(50, 16, padding_idx=0), nn.Linear(16, 3)
            def forward(self, ids):
                mask = (ids != 0).unsqueeze(2).float()
                return self.fc((self.embed(ids) * mask).sum(1) / mask.sum(1).clamp(min=1.0))

        class Mlp(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1, self.fc2 = nn.Linear(64, 32), nn.Linear(32, 5)
            def forward(self, x):
                return self.fc2(F.relu(self.fc1(torch.flatten(x, 1))))

        torch.jit.script(Cnn()).save("cnn.pt")
        torch.jit.script(ResNet()).save("resnet.pt")
        torch.jit.script(Text()).save("text.pt")
        torch.jit.script(Cnn().double()).save("double.pt")
        torch.save(Cnn().state_dict(), "statedict.pt")
        mlp = Mlp().eval()
        probe = torch.randn(4, 1, 8, 8)
        torch.jit.trace(mlp, probe).save("traced.pt")

        # the data and the batches of every epoch
        x, y = torch.randn(64, 1, 8, 8), torch.randint(0, 5, (64,))
        order = torch.stack([torch.randperm(64) for _ in range(epochs)])
        np.savez("data.npz", x=x.numpy(), y=y.numpy(), order=order.numpy(), probe=probe.numpy(), traced=mlp(probe).detach().numpy())

        # PyTorch trains the scripted file itself
        m = torch.jit.load("cnn.pt")
        m.train()
        opt = torch.optim.SGD(m.parameters(), lr=lr, momentum=momentum, weight_decay=wd)
        losses = []
        for e in range(epochs):
            for b in range(0, 64, batch):
                idx = order[e, b:b + batch]
                opt.zero_grad()
                loss = F.cross_entropy(m(x[idx]), y[idx])
                losses.append(loss.item())
                loss.backward()
                opt.step()
        np.savez("pytorch-final.npz", **{k: v.numpy() for k, v in m.state_dict().items()})
        print(json.dumps({"losses": losses, "keys": list(torch.jit.load("cnn.pt").state_dict().keys()),
                          "sha256": hashlib.sha256(open("cnn.pt", "rb").read()).hexdigest()}))
        """;

    static Dictionary<string, Tensor> ReadNpz(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        return zip.Entries.ToDictionary(e => e.Name[..^4], e => { using var s = e.Open(); return NpyFormat.Read(s, e.Length, e.Name); });
    }

    static Module<Tensor, Tensor> Load(string file, (int, int, int) input, int classes) =>
        ModelRegistry.Create(TorchScriptModel.Prefix + file, input, classes, new ModelOptions());

    [Fact]
    public void Shatters_sgd_and_pytorch_train_the_same_scripted_net_to_the_same_losses_and_weights()
    {
        var data = ReadNpz(models["data.npz"]);
        using var model = Load(models["cnn.pt"], (1, 8, 8), 5);
        model.train();
        using var sgd = new Sgd(model.parameters(), LearningRate, Momentum, WeightDecay);
        var losses = new List<double>();
        var order = data["order"];
        for (int e = 0; e < Epochs; e++)
            for (int b = 0; b < 64; b += Batch)
            {
                using var scope = NewDisposeScope();
                var idx = order[e].narrow(0, b, Batch);
                sgd.ZeroGrad();
                var loss = nn.functional.cross_entropy(model.call(data["x"].index_select(0, idx)), data["y"].index_select(0, idx));
                losses.Add(loss.item<float>());
                loss.backward();
                sgd.Step();
            }
        var expected = models.Facts.GetProperty("losses").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(Epochs * 64 / Batch, expected.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(losses[i] - expected[i]) <= 1e-5 + 1e-4 * Math.Abs(expected[i]), $"step {i}: Shatter {losses[i]}, PyTorch {expected[i]}");
        output.WriteLine($"losses {losses[0]:F6} -> {losses[^1]:F6}; largest |Shatter - PyTorch| {losses.Zip(expected, (a, b) => Math.Abs(a - b)).Max():E2}");
        Assert.True(losses[^1] < 0.8 * losses[0], $"the loss went from {losses[0]} to {losses[^1]}");
        // the same weights and batch-norm statistics at the end
        var final = ReadNpz(models["pytorch-final.npz"]);
        foreach (var (key, ours) in model.state_dict())
            Assert.True(ours.to_type(ScalarType.Float64).allclose(final[key].to_type(ScalarType.Float64), rtol: 1e-4, atol: 1e-5), $"{key} differs");
        foreach (var t in data.Values.Concat(final.Values)) t.Dispose();
    }

    [Fact]
    public void A_scripted_resnet_style_net_fits_random_labels_in_a_few_sgd_steps()
    {
        torch.manual_seed(1);
        using var model = Load(models["resnet.pt"], (3, 16, 16), 10);
        model.train();
        using var x = randn(32, 3, 16, 16);
        using var y = randint(0, 10, [32], ScalarType.Int64);
        using var sgd = new Sgd(model.parameters(), LearningRate, Momentum);
        var losses = new List<double>();
        for (int step = 0; step < 30; step++)
        {
            using var scope = NewDisposeScope();
            sgd.ZeroGrad();
            var loss = nn.functional.cross_entropy(model.call(x), y);
            losses.Add(loss.item<float>());
            loss.backward();
            sgd.Step();
        }
        output.WriteLine($"losses {losses[0]:F4} -> {losses[^1]:F4} in 30 steps");
        Assert.True(losses.TakeLast(3).Average() < 0.5 * losses[0], $"the loss went from {losses[0]} to {losses[^1]}");
        model.eval();
        using var noGrad = no_grad();
        using var predicted = model.call(x).argmax(1);
        Assert.True(predicted.eq(y).to_type(ScalarType.Float32).mean().item<float>() > 0.5);
    }

    [Fact]
    public void Eval_and_train_reach_the_scripted_batch_norm_and_weights_save_and_load_like_a_zoo_models()
    {
        torch.manual_seed(2);
        using var model = Load(models["resnet.pt"], (3, 16, 16), 10);
        using var x = randn(4, 3, 16, 16).mul(3.0.ToScalar());
        Tensor Running() => model.state_dict()["bn.running_mean"].clone();
        using var noGrad = no_grad();
        model.eval();
        Assert.False(model.training);
        using var before = Running();
        using var a = model.call(x);
        using var b = model.call(x);
        using var after = Running();
        Assert.True(Same.Tensors(a, b) && Same.Tensors(before, after));          // eval: running statistics used, not moved
        model.train();
        Assert.True(model.training);
        using var c = model.call(x);
        using var moved = Running();
        Assert.False(Same.Tensors(before, moved));                               // train: batch statistics, running ones move

        // a checkpoint's save and load (TorchSharp's format, as Checkpoint writes it) restore every parameter and buffer
        using var t = new TempFolder();
        model.eval();
        using var saved = model.call(x);
        model.save(t["model.bin"]);
        foreach (var p in model.parameters()) p.add_(1.0.ToScalar());
        using var perturbed = model.call(x);
        Assert.False(Same.Tensors(saved, perturbed));
        model.load(t["model.bin"]);
        using var restored = model.call(x);
        Assert.True(Same.Tensors(saved, restored));
    }

    [Fact]
    public void The_state_dict_has_pytorchs_keys_the_file_its_sha256_and_exported_weights_load_back_into_pytorch()
    {
        var model = (TorchScriptModel)Load(models["cnn.pt"], (1, 8, 8), 5);
        using var _ = model;
        Assert.Equal(models.Facts.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!).Order(), model.state_dict().Keys.Order());
        Assert.Equal(models.Facts.GetProperty("sha256").GetString(), model.Sha256);
        Assert.Equal(model.state_dict().Count - 3, model.parameters().Count());                // 3 buffers: running mean, var, count
        using (no_grad()) foreach (var p in model.parameters()) p.mul_(0.5.ToScalar());
        RunWeights.Save(model, Path.Combine(models.Folder, "shatter-weights.pt"));
        var data = ReadNpz(models["data.npz"]);
        model.eval();
        using var ours = model.call(data["x"].narrow(0, 0, 4));
        var theirs = Python.Run(models.Folder, """
            import json, numpy as np, torch
            m = torch.jit.load("cnn.pt")
            m.load_state_dict(torch.load("shatter-weights.pt"))
            m.eval()
            x = torch.from_numpy(np.load("data.npz")["x"][:4])
            print(json.dumps(m(x).detach().flatten().tolist()))
            """);
        var expected = JsonSerializer.Deserialize<double[]>(theirs)!;
        var actual = ours.flatten().data<float>().ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-5);
        foreach (var t in data.Values) t.Dispose();
    }

    [Fact]
    public void A_traced_model_and_a_scripted_text_model_load_and_run()
    {
        var data = ReadNpz(models["data.npz"]);
        using var traced = Load(models["traced.pt"], (1, 8, 8), 5);
        traced.eval();
        using (no_grad())
        {
            using var y = traced.call(data["probe"]);
            Assert.True(y.allclose(data["traced"], rtol: 1e-5, atol: 1e-6));
        }
        using var text = ModelRegistry.CreateText(TorchScriptModel.Prefix + models["text.pt"], new TextInput(50, 6), 3, new ModelOptions());
        using var ids = tensor(new long[] { 4, 9, 0, 0, 0, 0, 7, 7, 7, 1, 2, 0 }, [2, 6]);
        using var logits = text.call(ids);
        Assert.Equal([2L, 3], logits.shape);
        foreach (var t in data.Values) t.Dispose();
    }

    public static TheoryData<string> BadCases() => new(Bad.Keys);

    static readonly Dictionary<string, Func<Models, (Action Act, string Names, string Problem)>> Bad = new()
    {
        ["input shape"] = m => (() => Load(m["cnn.pt"], (3, 8, 8), 5).Dispose(), m["cnn.pt"], "fails on a batch of the dataset's inputs, Float32 (2, 3, 8, 8)"),
        ["output shape"] = m => (() => Load(m["cnn.pt"], (1, 8, 8), 7).Dispose(), m["cnn.pt"], "returns (2, 5) for a batch of 2, not (2, 7)"),
        ["later input"] = m => (() =>
        {
            using var model = Load(m["cnn.pt"], (1, 8, 8), 5);
            using var x = zeros(3, 1, 9, 9);
            model.call(x).Dispose();
        }, m["cnn.pt"], "was checked for Float32 (batch, 1, 8, 8) inputs but is given Float32 (3, 1, 9, 9)"),
        ["missing file"] = m => (() => Load(m["none.pt"], (1, 8, 8), 5).Dispose(), m["none.pt"], "cannot be read"),
        ["state dict"] = m => (() => Load(m["statedict.pt"], (1, 8, 8), 5).Dispose(), m["statedict.pt"], "is not a TorchScript model"),
        ["garbage"] = m => (() => { File.WriteAllBytes(m["garbage.pt"], [1, 2, 3]); Load(m["garbage.pt"], (1, 8, 8), 5).Dispose(); }, m["garbage.pt"], "is not a TorchScript model"),
        ["float64"] = m => (() => Load(m["double.pt"], (1, 8, 8), 5).Dispose(), m["double.pt"], "has Float64 parameters"),
        ["dropout"] = m => (() => ModelRegistry.Create(TorchScriptModel.Prefix + m["cnn.pt"], (1, 8, 8), 5, new ModelOptions(Dropout: 0.5)).Dispose(), m["cnn.pt"], "dropout is part of its code"),
        ["scorer"] = m => (() => ModelRegistry.CreateScorer(TorchScriptModel.Prefix + m["cnn.pt"], (1, 8, 8), new ModelOptions()).Dispose(), m["cnn.pt"], "cannot be given a one-output head"),
    };

    [Theory]
    [MemberData(nameof(BadCases))]
    public void Each_bad_model_ends_in_one_sentence_naming_the_file_and_the_fix(string name)
    {
        var (act, names, problem) = Bad[name](models);
        var e = Assert.Throws<ShatterException>(act);
        Assert.True(e.Message.Contains(names) && e.Message.Contains(problem), e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.EndsWith(".", e.Message);
    }
}
