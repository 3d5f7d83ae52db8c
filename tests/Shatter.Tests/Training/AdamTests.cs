using Shatter.Models;
using Shatter.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Tests.Training;

/// <summary>
/// Shatter's Adam against TorchSharp's (the reference: PyTorch's torch.optim.Adam semantics). The tests may
/// use TorchSharp's Adam: the analyzer bans it in src/ only (docs/torchsharp.md).
/// </summary>
public sealed class AdamTests
{
    [Fact]
    public void Equals_torchsharps_adam_bit_for_bit_over_50_steps()
    {
        using var a = ModelRegistry.Create("mlp-2x64", (1, 8, 8), 10, new ModelOptions());
        using var b = ModelRegistry.Create("mlp-2x64", (1, 8, 8), 10, new ModelOptions());
        using (no_grad())
            foreach (var (pa, pb) in a.parameters().Zip(b.parameters())) pb.copy_(pa);
        using var reference = optim.Adam(a.parameters(), 0.01);
        using var ours = new Adam(b.parameters(), 0.01);
        var initial = a.parameters().Select(p => p.detach().clone()).ToList();
        using var gen = new Generator(5);
        for (int step = 1; step <= 50; step++)
        {
            using var scope = NewDisposeScope();
            var x = randn([32, 1, 8, 8], generator: gen);
            var y = randint(10, [32], generator: gen);
            reference.zero_grad();
            ours.ZeroGrad();
            nn.functional.cross_entropy(a.call(x), y).backward();
            nn.functional.cross_entropy(b.call(x), y).backward();
            reference.step();
            ours.Step();
            foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
                Assert.True(pa.eq(pb).all().item<bool>(), $"{name} differs after step {step}");
        }
        Assert.Contains(a.parameters().Zip(initial), p => !p.First.eq(p.Second).all().item<bool>());
    }

    [Fact]
    public void The_first_step_moves_each_weight_by_the_learning_rate_against_its_gradient_sign()
    {
        // step 1: m̂ = g, v̂ = g², so the update is lr·g/(|g| + ε) ≈ lr·sign(g)
        using var w = new TorchSharp.Modules.Parameter(tensor(new[] { 1.0, -2.0, 3.0 }));
        using var adam = new Adam([w], 0.5);
        using (var loss = w.mul(tensor(new[] { 2.0, -4.0, 0.5 })).sum()) loss.backward();
        adam.Step();
        var moved = w.data<double>().ToArray();
        Assert.Equal(0.5, moved[0], 6);
        Assert.Equal(-1.5, moved[1], 6);
        Assert.Equal(2.5, moved[2], 6);
    }
}
