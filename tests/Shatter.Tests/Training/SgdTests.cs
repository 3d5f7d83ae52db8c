using Shatter.Models;
using Shatter.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Tests.Training;

/// <summary>
/// Shatter's SGD against TorchSharp's (the reference: PyTorch's torch.optim.SGD semantics). The tests may
/// use TorchSharp's SGD and implicit Scalars: the analyzer bans them in src/ only (docs/torchsharp.md).
/// </summary>
public sealed class SgdTests : IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "shatter-sgd-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Scratch.Delete(_dir);
    }

    /// <summary>Two MLPs with the same weights (the second a copy of the first).</summary>
    static (nn.Module<Tensor, Tensor> A, nn.Module<Tensor, Tensor> B) Twins(string model = "mlp-3x512")
    {
        var a = ModelRegistry.Create(model, (1, 8, 8), 10, new ModelOptions());
        var b = ModelRegistry.Create(model, (1, 8, 8), 10, new ModelOptions());
        using (no_grad())
            foreach (var (pa, pb) in a.parameters().Zip(b.parameters())) pb.copy_(pa);
        return (a, b);
    }

    static void Backward(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        nn.functional.cross_entropy(model.call(x), y).backward();
    }

    static void AssertSameWeights(nn.Module<Tensor, Tensor> a, nn.Module<Tensor, Tensor> b, string when)
    {
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
            Assert.True(pa.eq(pb).all().item<bool>(), $"{name} differs {when}");
    }

    [Fact]
    public void Equals_torchsharps_sgd_bit_for_bit_over_50_steps_with_momentum_weight_decay_and_a_changing_rate()
    {
        var (a, b) = Twins();
        using var _a = a;
        using var _b = b;
        using var reference = optim.SGD(a.parameters(), 0.05, momentum: 0.9, weight_decay: 5e-4);
        using var ours = new Sgd(b.parameters(), 0.05, momentum: 0.9, weightDecay: 5e-4);
        var initial = a.parameters().Select(p => p.detach().clone()).ToList();
        using var gen = new Generator(11);
        for (int step = 1; step <= 50; step++)
        {
            using var scope = NewDisposeScope();
            double lr = 0.05 * Math.Pow(0.95, step / 10);   // a staircase schedule, set before each step
            foreach (var g in reference.ParamGroups) g.LearningRate = lr;
            ours.LearningRate = lr;
            var x = randn([32, 1, 8, 8], generator: gen);
            var y = randint(10, [32], generator: gen);
            reference.zero_grad();
            ours.ZeroGrad();
            Backward(a, x, y);
            Backward(b, x, y);
            reference.step();
            ours.Step();
            AssertSameWeights(a, b, $"after step {step}");
        }
        // the weights did move (the comparison is not between two frozen models), and every buffer exists
        Assert.Contains(a.parameters().Zip(initial), p => !p.First.eq(p.Second).all().item<bool>());
        Assert.All(ours.MomentumBuffers, buf => Assert.NotNull(buf));
    }

    [Fact]
    public void Dropping_the_gradients_trains_bit_for_bit_as_zeroing_them()
    {
        var (a, b) = Twins();
        using var _a = a;
        using var _b = b;
        using var zeroed = new Sgd(a.parameters(), 0.05, momentum: 0.9, weightDecay: 5e-4);
        using var dropped = new Sgd(b.parameters(), 0.05, momentum: 0.9, weightDecay: 5e-4);
        using var gen = new Generator(12);
        for (int step = 1; step <= 20; step++)
        {
            using var scope = NewDisposeScope();
            var x = randn([32, 1, 8, 8], generator: gen);
            var y = randint(10, [32], generator: gen);
            zeroed.ZeroGrad();
            dropped.ClearGrad();
            Assert.All(b.parameters(), p => Assert.Null(p.grad));
            Backward(a, x, y);
            Backward(b, x, y);
            zeroed.Step();
            dropped.Step();
            AssertSameWeights(a, b, $"after step {step}");
        }
    }

    [Fact]
    public void Without_momentum_or_weight_decay_a_step_is_w_minus_lr_times_the_gradient()
    {
        using var w = new TorchSharp.Modules.Parameter(tensor(new[] { 1.0f, -2.0f, 3.0f }));
        using var sgd = new Sgd([w], 0.5);
        using (var loss = w.mul(tensor(new[] { 2.0f, 4.0f, -6.0f })).sum()) loss.backward(); // gradient (2, 4, −6)
        sgd.Step();
        Assert.Equal(new[] { 0.0f, -4.0f, 6.0f }, w.data<float>().ToArray());
        Assert.All(sgd.MomentumBuffers, buf => Assert.Null(buf));
    }

    [Fact]
    public void The_first_momentum_step_sets_the_buffer_to_the_decayed_gradient_then_accumulates()
    {
        using var w = new TorchSharp.Modules.Parameter(tensor(new[] { 1.0, 2.0 }));
        using var sgd = new Sgd([w], 0.1, momentum: 0.5, weightDecay: 0.25);
        using (var loss = w.sum()) loss.backward();                     // g = (1, 1)
        sgd.Step();
        // d = g + 0.25·w = (1.25, 1.5); b = d; w = w − 0.1·b
        Assert.Equal(new[] { 1.25, 1.5 }, sgd.MomentumBuffers[0]!.data<double>().ToArray());
        Assert.Equal(new[] { 1 - 0.125, 2 - 0.15 }, w.data<double>().ToArray());
        sgd.ZeroGrad();
        using (var loss = w.sum()) loss.backward();
        sgd.Step();
        // d = 1 + 0.25·w; b = 0.5·b + d
        double d0 = 1 + 0.25 * 0.875, d1 = 1 + 0.25 * 1.85;
        Assert.Equal(0.5 * 1.25 + d0, sgd.MomentumBuffers[0]!.data<double>()[0], 12);
        Assert.Equal(0.5 * 1.5 + d1, sgd.MomentumBuffers[0]!.data<double>()[1], 12);
    }

    [Fact]
    public void Saved_momentum_buffers_continue_exactly_after_loading()
    {
        var (a, b) = Twins("mlp-1x512");
        using var _a = a;
        using var _b = b;
        using var first = new Sgd(a.parameters(), 0.05, momentum: 0.9, weightDecay: 1e-3);
        using var gen = new Generator(5);
        var batches = Enumerable.Range(0, 10).Select(_ => (X: randn([16, 1, 8, 8], generator: gen), Y: randint(10, [16], generator: gen))).ToList();
        void Train(nn.Module<Tensor, Tensor> m, Sgd sgd, int from, int to)
        {
            for (int i = from; i < to; i++)
            {
                sgd.ZeroGrad();
                Backward(m, batches[i].X, batches[i].Y);
                sgd.Step();
            }
        }
        Train(a, first, 0, 5);
        using var c = ModelRegistry.Create("mlp-1x512", (1, 8, 8), 10, new ModelOptions());
        using (no_grad())
            foreach (var (pa, pb, pc) in a.parameters().Zip(b.parameters(), c.parameters())) { pb.copy_(pa); pc.copy_(pa); }
        Directory.CreateDirectory(_dir);
        var file = Path.Combine(_dir, "optimizer.bin");
        first.Save(file);
        using var second = new Sgd(b.parameters(), 0.05, momentum: 0.9, weightDecay: 1e-3);
        second.Load(file);
        Train(a, first, 5, 10);
        Train(b, second, 5, 10);
        AssertSameWeights(a, b, "after resuming from saved buffers");

        // the same weights with a fresh optimizer (no buffers) end elsewhere: the buffers made them equal
        using var fresh = new Sgd(c.parameters(), 0.05, momentum: 0.9, weightDecay: 1e-3);
        Train(c, fresh, 5, 10);
        Assert.Contains(a.parameters().Zip(c.parameters()), p => !p.First.eq(p.Second).all().item<bool>());
    }

    [Fact]
    public void A_checkpoint_of_torchsharps_sgd_from_before_resumes_exactly()
    {
        var (a, b) = Twins("mlp-1x512");
        using var _a = a;
        using var _b = b;
        using var gen = new Generator(9);
        var batches = Enumerable.Range(0, 8).Select(_ => (X: randn([16, 1, 8, 8], generator: gen), Y: randint(10, [16], generator: gen))).ToList();
        using var old = optim.SGD(a.parameters(), 0.05, momentum: 0.9, weight_decay: 1e-3);
        for (int i = 0; i < 4; i++)
        {
            old.zero_grad();
            Backward(a, batches[i].X, batches[i].Y);
            old.step();
        }
        Directory.CreateDirectory(_dir);
        var file = Path.Combine(_dir, "optimizer.bin");
        old.save_state_dict(file);   // what Checkpoint.Save wrote before Shatter had its own SGD
        using (no_grad())
            foreach (var (pa, pb) in a.parameters().Zip(b.parameters())) pb.copy_(pa);
        using var resumed = new Sgd(b.parameters(), 0.05, momentum: 0.9, weightDecay: 1e-3);
        resumed.Load(file);
        Assert.All(resumed.MomentumBuffers, buf => Assert.NotNull(buf));
        // a goes on uninterrupted with TorchSharp's SGD; b resumes from the file with Shatter's
        for (int i = 4; i < 8; i++)
        {
            old.zero_grad();
            Backward(a, batches[i].X, batches[i].Y);
            old.step();
            resumed.ZeroGrad();
            Backward(b, batches[i].X, batches[i].Y);
            resumed.Step();
        }
        AssertSameWeights(a, b, "after resuming TorchSharp's saved state with Shatter's SGD");
    }

    [Fact]
    public void An_optimizer_file_of_another_format_is_refused_with_the_reason()
    {
        Directory.CreateDirectory(_dir);
        var file = Path.Combine(_dir, "optimizer.bin");
        using (var w = new BinaryWriter(File.Create(file))) w.Write("Adam");
        using var p = new TorchSharp.Modules.Parameter(zeros(2));
        using var sgd = new Sgd([p], 0.1, momentum: 0.9);
        var e = Assert.Throws<InvalidOperationException>(() => sgd.Load(file));
        Assert.Contains("not a Shatter SGD state (Adam)", e.Message);
    }
}
