using Shatter.Adversarial;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Tests.Adversarial;

/// <summary>Arpit et al.'s measures on linear classifiers, where the gradient and the critical radius have closed forms.</summary>
public sealed class MemorizationTests
{
    /// <summary>Logits = x·Wᵀ on flattened inputs (no bias).</summary>
    static Func<Tensor, Tensor> Linear(float[,] w)
    {
        var weight = tensor(w);
        return x => x.flatten(1).matmul(weight.t());
    }

    [Fact]
    public void Loss_sensitivity_is_the_l1_norm_of_softmax_minus_one_hot_times_the_weights()
    {
        var forward = Linear(new float[,] { { 1, 0 }, { 0, 1 } });
        // x = (0, 0), y = 0: softmax (1/2, 1/2), ∂L/∂x = (p − e₀)ᵀW = (−1/2, 1/2), ‖·‖₁ = 1.
        // x = (ln 3, 0), y = 1: softmax (3/4, 1/4), ∂L/∂x = (3/4, −3/4), ‖·‖₁ = 3/2.
        // x = (0, 0) scored with W = 2I would double it; the batch size of 1 checks that batches are joined in order.
        var x = tensor(new float[] { 0, 0, MathF.Log(3), 0 }, [2, 1, 1, 2]);
        var y = tensor(new long[] { 0, 1 });
        using var ls = Memorization.LossSensitivity(forward, x, y, batch: 1);
        var values = ls.data<double>().ToArray();
        Assert.Equal(1.0, values[0], 5);
        Assert.Equal(1.5, values[1], 5);
    }

    [Fact]
    public void A_point_is_critical_exactly_when_the_boundary_lies_within_the_radius()
    {
        // 1-d inputs, logits (x, −x): class 0 for x > 0. The boundary is at 0, so with r = 0.2 the points at ±0.19
        // are critical and those at ±0.21 or 0.5 are not, however many steps of α = 0.05 the search takes.
        var forward = Linear(new float[,] { { 1 }, { -1 } });
        var x = tensor(new float[] { 0.19f, 0.21f, -0.19f, -0.21f, 0.5f }, [5, 1, 1, 1]);
        var search = new CriticalSearch(Radius: 0.2, Alpha: 0.05, Beta: 0, MaxIterations: 20, Box: false);
        using var gen = new Generator(1);
        using var critical = Memorization.Critical(forward, x, search, gen, batch: 2);
        Assert.Equal([true, false, true, false, false], critical.data<bool>().ToArray());
    }

    [Fact]
    public void The_search_stops_after_its_step_budget_so_a_reachable_boundary_needs_enough_steps()
    {
        // from 0.19, steps of 0.05 reach below 0 after four steps: three are not enough
        var forward = Linear(new float[,] { { 1 }, { -1 } });
        var x = tensor(new float[] { 0.19f }, [1, 1, 1, 1]);
        using var gen = new Generator(1);
        using var three = Memorization.Critical(forward, x, new CriticalSearch(0.2, 0.05, 0, 3, false), gen, batch: 8);
        using var four = Memorization.Critical(forward, x, new CriticalSearch(0.2, 0.05, 0, 4, false), gen, batch: 8);
        Assert.False(three.data<bool>()[0]);
        Assert.True(four.data<bool>()[0]);
    }

    [Fact]
    public void The_pixel_box_keeps_the_search_inside_zero_to_one()
    {
        // the boundary at 0 is 0.1 away from x = 0.1, within r = 0.2, but only outside the pixel box
        var forward = Linear(new float[,] { { 1 }, { -1 } });
        var x = tensor(new float[] { 0.1f }, [1, 1, 1, 1]);
        using var gen = new Generator(1);
        using var boxed = Memorization.Critical(forward, x, new CriticalSearch(0.2, 0.05, 0, 10, Box: true), gen, batch: 8);
        using var free = Memorization.Critical(forward, x, new CriticalSearch(0.2, 0.05, 0, 10, Box: false), gen, batch: 8);
        Assert.False(boxed.data<bool>()[0]);
        Assert.True(free.data<bool>()[0]);
    }

    [Fact]
    public void Means_over_a_mask_count_only_its_examples_and_an_empty_group_is_nan()
    {
        var values = tensor(new double[] { 1, 2, 3, 6 });
        var (mean, count) = Memorization.MeanOver(values, tensor(new[] { true, false, false, true }));
        Assert.Equal(3.5, mean, 12);
        Assert.Equal(2, count);
        var (none, zero) = Memorization.MeanOver(values, zeros(4, dtype: ScalarType.Bool));
        Assert.True(double.IsNaN(none));
        Assert.Equal(0, zero);
    }
}
