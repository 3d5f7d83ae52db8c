using Shatter.Training.Reinforcement;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Shatter.Tests.Training.Reinforcement;

/// <summary>The REINFORCE-with-baseline loss against values worked out by hand.</summary>
public sealed class ReinforceLossTests
{
    [Fact]
    public void Discounted_returns_match_hand_values_and_stop_at_each_episodes_end()
    {
        // episode 0 takes 3 steps and is rewarded on the last; episode 1 takes 2 and is rewarded on its second.
        // A reward written past episode 1's end (t = 2) must be ignored.
        using var rewards = tensor(new float[] { 0, 0, 0, 1, 1, 5 }, [3, 2]);
        using var alive = tensor(new[] { true, true, true, true, true, false }, [3, 2]);
        using var g = ReinforceLoss.DiscountedReturns(rewards, alive, 0.9);
        // G_0 = γ², G_1 = γ, G_2 = 1 for episode 0; G_0 = γ, G_1 = 1, nothing after for episode 1
        var expected = new float[] { 0.81f, 0.9f, 0.9f, 1f, 1f, 0f };
        var actual = g.data<float>().ToArray();
        for (int i = 0; i < 6; i++) Assert.Equal(expected[i], actual[i], 1e-6f);
    }

    [Fact]
    public void A_two_armed_bandit_gives_the_hand_computed_losses_and_gradients()
    {
        // Tabular policy: logits θ = [0, ln 3], so π = [1/4, 3/4]; baseline V = 0.4.
        // Two pulls: arm 1 with return 1, arm 0 with return 0. Advantages A = G − V = [0.6, −0.4].
        var (theta, v) = Bandit(0.4);
        using var logits = theta.expand(2, 2);
        using var values = v.expand(2);
        using var actions = tensor(new long[] { 1, 0 });
        using var returns = tensor(new float[] { 1, 0 });
        var options = new ReinforceOptions(ValueCoefficient: 0.5, EntropyCoefficient: 0);
        using var parts = ReinforceLoss.FromOutputs(logits, values, actions, returns, options);

        double policy = -(0.6 * Math.Log(0.75) + (-0.4) * Math.Log(0.25)) / 2;   // −(1/N) Σ A log π(a)
        double value = 0.5 * ((0.6 * 0.6) + (0.4 * 0.4)) / 2;                     // (1/N) Σ ½ (G − V)²
        Assert.Equal(policy, parts.Policy, 1e-6);
        Assert.Equal(value, parts.Value, 1e-6);
        Assert.Equal(policy + 0.5 * value, parts.Total.item<float>(), 1e-6);
        Assert.Equal(0.1, parts.MeanAdvantage, 1e-6);
        Assert.Equal(2, parts.Steps);

        parts.Total.backward();
        // ∂/∂θ of −(1/N) Σ A_i log π(a_i) = −(1/N) Σ A_i (e_{a_i} − π):
        //   pull 1: 0.6·([0, 1] − [¼, ¾]) = [−0.15, 0.15]; pull 2: −0.4·([1, 0] − [¼, ¾]) = [−0.3, 0.3]; −½·sum = [0.225, −0.225]
        AssertClose([0.225, -0.225], theta.grad!);
        // ∂/∂V of c_v·(1/N) Σ ½(G − V)² = c_v·(1/N) Σ (V − G) = 0.5·(−0.6 + 0.4)/2 = −0.05; the policy term adds nothing (V detached)
        AssertClose([-0.05], v.grad!);
    }

    [Fact]
    public void The_entropy_bonus_adds_its_hand_computed_gradient()
    {
        var (theta, v) = Bandit(0.4);
        using var logits = theta.expand(2, 2);
        using var values = v.expand(2);
        using var actions = tensor(new long[] { 1, 0 });
        using var returns = tensor(new float[] { 1, 0 });
        using var parts = ReinforceLoss.FromOutputs(logits, values, actions, returns, new ReinforceOptions(ValueCoefficient: 0, EntropyCoefficient: 0.1));
        double entropy = -(0.25 * Math.Log(0.25) + 0.75 * Math.Log(0.75));
        Assert.Equal(entropy, parts.Entropy, 1e-6);
        parts.Total.backward();
        // ∂H/∂θ_k = −π_k (ln π_k + H); the loss carries −β·H
        double d0 = -0.25 * (Math.Log(0.25) + entropy), d1 = -0.75 * (Math.Log(0.75) + entropy);
        AssertClose([0.225 - 0.1 * d0, -0.225 - 0.1 * d1], theta.grad!);
        Assert.Equal(0f, v.grad!.abs().sum().item<float>()); // c_v = 0: the baseline gets no gradient from the policy term
    }

    [Fact]
    public void Minimising_the_loss_on_a_bandit_moves_the_policy_to_the_rewarded_arm()
    {
        var (theta, v) = Bandit(0.0);
        using var adam = new Shatter.Training.Adam([theta, v], 0.05);
        using var generator = new Generator(3);
        var options = new ReinforceOptions(ValueCoefficient: 0.5, EntropyCoefficient: 0);
        for (int step = 0; step < 150; step++)
        {
            using var scope = NewDisposeScope();
            var logits = theta.expand(16, 2);
            var actions = multinomial(logits.detach().softmax(1), 1, true, generator).squeeze(1);
            var returns = actions.eq(0).to_type(ScalarType.Float32); // arm 0 pays 1, arm 1 pays 0
            adam.ZeroGrad();
            ReinforceLoss.FromOutputs(logits, v.expand(16), actions, returns, options).Total.backward();
            adam.Step();
        }
        using var pi = theta.detach().softmax(1);
        Assert.True(pi[0, 0].item<float>() > 0.95f, $"π(rewarded arm) = {pi[0, 0].item<float>()} after 150 steps");
        Assert.InRange(v.item<float>(), 0.8f, 1.1f); // the baseline learns the expected return, ≈ 1
    }

    [Fact]
    public void Standardized_advantages_give_the_hand_computed_policy_loss()
    {
        // two steps: π = (0.25, 0.75) taking action 1, then π = (0.5, 0.5) taking action 0; returns (1, 0), values (0.25, 0.5)
        using var logits = tensor(new float[] { 0, MathF.Log(3), 0, 0 }, [2, 2]);
        using var values = tensor(new float[] { 0.25f, 0.5f });
        using var actions = tensor(new long[] { 1, 0 });
        using var returns = tensor(new float[] { 1, 0 });
        // raw A = (0.75, −0.5): mean 0.125, deviations ±0.625, std (Bessel) √(2·0.625²/1) = 0.8839 → standardized ±1/√2
        double raw = -0.5 * (0.75 * Math.Log(0.75) - 0.5 * Math.Log(0.5));
        double standardized = -0.5 * (Math.Log(0.75) - Math.Log(0.5)) / Math.Sqrt(2);
        var plain = new ReinforceOptions(ValueCoefficient: 0, EntropyCoefficient: 0);
        using (var parts = ReinforceLoss.FromOutputs(logits, values, actions, returns, plain))
            Assert.Equal(raw, parts.Total.item<float>(), 5);
        using (var parts = ReinforceLoss.FromOutputs(logits, values, actions, returns, plain with { NormalizeAdvantages = true }))
        {
            Assert.Equal(standardized, parts.Total.item<float>(), 5);
            Assert.Equal(0.125, parts.MeanAdvantage, 6);   // reported before standardizing
        }
    }

    [Fact]
    public void An_empty_batch_and_a_bad_option_are_one_sentence_errors()
    {
        using var logits = zeros(0, 4);
        using var values = zeros(0);
        using var actions = zeros(0, dtype: ScalarType.Int64);
        var e = Assert.Throws<ShatterException>(() => ReinforceLoss.FromOutputs(logits, values, actions, values, new ReinforceOptions()));
        Assert.Contains("at least one step", e.Message);
        Assert.Contains("discount", Assert.Throws<ShatterException>(() => new ReinforceOptions(Gamma: 1.5).Validate()).Message);
        Assert.Contains("learning rate", Assert.Throws<ShatterException>(() => new ReinforceOptions(LearningRate: 0).Validate()).Message);
    }

    static (Parameter Theta, Parameter V) Bandit(double baseline) =>
        (new Parameter(tensor(new float[] { 0, (float)Math.Log(3) }, [1, 2])), new Parameter(tensor(new float[] { (float)baseline })));

    static void AssertClose(double[] expected, Tensor actual)
    {
        var values = actual.flatten().data<float>().ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < values.Length; i++) Assert.Equal(expected[i], values[i], 1e-6);
    }
}
