using System.Text.Json;
using Shatter.Models;
using Shatter.Tests.Data;
using Shatter.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Tests.Models;

[Collection(Training.SerialTorchRandom.Name)]
public sealed class TextModelTests
{
    const int V = 300, T = 12, C = 5;

    [Theory]
    // transformer: V·w + T·w + depth·(12w² + 13w) + 2w + w·C + C
    [InlineData("text-transformer-2x64", V * 64 + T * 64 + 2 * (12 * 64 * 64 + 13 * 64) + 2 * 64 + 64 * C + C)]
    [InlineData("text-transformer-1x32", V * 32 + T * 32 + (12 * 32 * 32 + 13 * 32) + 2 * 32 + 32 * C + C)]
    // LSTM: V·h + layers·(4h·h + 4h·h + 8h) + h·C + C (PyTorch's weight_ih, weight_hh, bias_ih, bias_hh per layer)
    [InlineData("text-lstm-1x48", V * 48 + (8 * 48 * 48 + 8 * 48) + 48 * C + C)]
    [InlineData("text-lstm-3x16", V * 16 + 3 * (8 * 16 * 16 + 8 * 16) + 16 * C + C)]
    public void Text_models_have_the_parameter_count_of_pytorchs_documented_shapes(string name, long expected)
    {
        using var model = ModelRegistry.CreateText(name, new TextInput(V, T), C, new ModelOptions());
        Assert.Equal(expected, ModelRegistry.ParameterCount(model));
    }

    /// <summary>The same two architectures built from torch.nn in PyTorch: every state_dict key and shape.</summary>
    const string PyTorchTwins = """
        import json, sys, torch
        from torch import nn
        V, T, C = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
        def block(w):
            return nn.ModuleDict(dict(norm1=nn.LayerNorm(w), qkv=nn.Linear(w, 3 * w), proj=nn.Linear(w, w),
                                      norm2=nn.LayerNorm(w), fc1=nn.Linear(w, 4 * w), fc2=nn.Linear(4 * w, w)))
        class Transformer(nn.Module):
            def __init__(self, depth, w):
                super().__init__()
                self.embed = nn.Embedding(V, w, padding_idx=0)
                self.pos = nn.Parameter(torch.zeros(1, T, w))
                self.blocks = nn.ModuleList([block(w) for _ in range(depth)])
                self.norm = nn.LayerNorm(w)
                self.head = nn.Linear(w, C)
        class Lstm(nn.Module):
            def __init__(self, layers, h):
                super().__init__()
                self.embed = nn.Embedding(V, h, padding_idx=0)
                self.rnn = nn.LSTM(h, h, layers, batch_first=True)
                self.head = nn.Linear(h, C)
        out = {}
        for name, m in [("text-transformer-2x64", Transformer(2, 64)), ("text-lstm-3x16", Lstm(3, 16))]:
            out[name] = {"count": sum(p.numel() for p in m.parameters()), "shapes": {k: list(v.shape) for k, v in m.state_dict().items()}}
        print(json.dumps(out))
        """;

    [Fact]
    public void Text_models_have_the_keys_shapes_and_count_of_the_same_networks_built_in_pytorch()
    {
        Python.Require("torch", "python3-torch");
        using var t = new TempFolder();
        var twins = JsonDocument.Parse(Python.Run(t.Path, PyTorchTwins, $"{V}", $"{T}", $"{C}")).RootElement;
        foreach (var name in new[] { "text-transformer-2x64", "text-lstm-3x16" })
        {
            using var model = ModelRegistry.CreateText(name, new TextInput(V, T), C, new ModelOptions());
            var twin = twins.GetProperty(name);
            Assert.Equal(twin.GetProperty("count").GetInt64(), ModelRegistry.ParameterCount(model));
            var shapes = twin.GetProperty("shapes").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(d => d.GetInt64()).ToArray());
            var ours = model.state_dict().ToDictionary(p => p.Key, p => p.Value.shape);
            Assert.Equal(shapes.Keys.Order(), ours.Keys.Order());
            foreach (var (key, shape) in shapes) Assert.Equal(shape, ours[key]);
        }
    }

    /// <summary>Three texts of lengths 3, 1 and 5 in (3, T) ids, right-padded with 0.</summary>
    static Tensor Batch(int t = T)
    {
        var ids = new long[3 * t];
        long[][] texts = [[5, 9, 2], [7], [3, 3, 8, 250, 11]];
        for (int i = 0; i < 3; i++) texts[i].CopyTo(ids, i * t);
        return tensor(ids, [3, t]);
    }

    [Theory]
    [InlineData("text-transformer-2x64")]
    [InlineData("text-lstm-2x32")]
    public void Padding_changes_nothing_a_text_model_outputs(string name)
    {
        torch.manual_seed(3);
        using var model = ModelRegistry.CreateText(name, new TextInput(V, T), C, new ModelOptions());
        model.eval();
        using var noGrad = no_grad();
        using var padded = model.call(Batch());
        using var tight = model.call(Batch(5));
        Assert.Equal([3L, C], padded.shape);
        Assert.True(padded.isfinite().all().item<bool>());
        Assert.True(padded.allclose(tight, rtol: 1e-5, atol: 1e-6), $"{name}: outputs depend on the padding");
        // and a text's output depends on its own tokens
        using var changed = Batch();
        changed[0, 1] = tensor(6L);
        using var other = model.call(changed);
        Assert.False(other[0].allclose(padded[0]));
        Assert.True(other[1].allclose(padded[1], rtol: 1e-5, atol: 1e-6));
    }

    [Theory]
    [InlineData("text-transformer-2x64")]
    [InlineData("text-lstm-1x64")]
    public void A_few_sgd_steps_at_the_default_rate_lower_the_loss_on_a_fixed_batch(string name)
    {
        torch.manual_seed(7);
        var spec = ModelRegistry.Describe(name);
        using var model = ModelRegistry.CreateText(name, new TextInput(V, T), C, new ModelOptions());
        using var x = Batch();
        using var y = tensor(new long[] { 0, 3, 4 });
        using var sgd = new Sgd(model.parameters(), spec.DefaultLearningRate, momentum: 0.9);
        double first = 0, last = 0;
        for (int step = 0; step <= 10; step++)
        {
            using var scope = NewDisposeScope();
            sgd.ZeroGrad();
            var loss = nn.functional.cross_entropy(model.call(x), y);
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
            loss.backward();
            sgd.Step();
        }
        Assert.True(last < 0.9 * first, $"{name}: loss went from {first} to {last}");
    }

    [Fact]
    public void Text_and_image_models_refuse_the_other_kind_of_input_in_one_sentence()
    {
        var e1 = Assert.Throws<ShatterException>(() => ModelRegistry.Create("text-lstm-1x8", (1, 28, 28), 10, new ModelOptions()));
        Assert.Contains("reads token ids, not images", e1.Message);
        var e2 = Assert.Throws<ShatterException>(() => ModelRegistry.CreateText("mlp-1x512", new TextInput(V, T), C, new ModelOptions()));
        Assert.Contains("reads images, not token ids", e2.Message);
        var e3 = Assert.Throws<ShatterException>(() => ModelRegistry.Describe("text-transformer-2x100"));
        Assert.Contains("multiple of 32", e3.Message);
        var e4 = Assert.Throws<ShatterException>(() => ModelRegistry.Describe("text-gru-1x8"));
        Assert.Contains("unknown text model", e4.Message);
        Assert.Equal("text-lstm", ModelRegistry.Describe("Text-LSTM-2x64").Family);
        foreach (var e in new[] { e1, e2, e3, e4 }) Assert.DoesNotContain('\n', e.Message);
    }
}
