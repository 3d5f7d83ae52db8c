using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Training.Reinforcement;

/// <summary>
/// The REINFORCE-with-baseline loss as pure tensor functions (Sutton and Barto §13.4, in the A2C form of Mnih et al.
/// 2016 with an entropy bonus), averaged over the N steps actually taken:
/// <code>
///   G_t = r_t + γ·G_{t+1}            (within an episode; 0 past its end; a capped episode counts as ended)
///   A_t = G_t − V(s_t)               (V detached: the baseline does not take the policy's gradient)
///   L   = −(1/N) Σ A_t·log π(a_t|s_t) + c_v·(1/N) Σ ½(G_t − V(s_t))² − β·(1/N) Σ H(π(·|s_t))
/// </code>
/// Its policy gradient is the REINFORCE estimate −(1/N) Σ A_t ∇log π(a_t|s_t); for softmax logits θ,
/// ∂/∂θ_k of −A·log π(a) is −A·(1[k = a] − π_k) (tests check it by hand on a two-armed bandit).
/// </summary>
public static class ReinforceLoss
{
    /// <summary>Discounted returns (T, B) float32 of rewards (T, B), zero where <paramref name="alive"/> (T, B) is false.</summary>
    public static Tensor DiscountedReturns(Tensor rewards, Tensor alive, double gamma)
    {
        using var scope = NewDisposeScope();
        using Scalar g = gamma.ToScalar(), one = 1.ToScalar();
        long t = rewards.shape[0];
        var mask = alive.to_type(ScalarType.Float32);
        var r = rewards.to_type(ScalarType.Float32).mul(mask);
        if (t == 0) return r.MoveToOuterDisposeScope();
        var rows = new Tensor[t];
        var next = zeros_like(r[0]);
        for (long s = t - 1; s >= 0; s--)
        {
            // G_s = r_s + γ·G_{s+1}; G_{s+1} is already 0 where episode b ended at s
            next = r[s].add(next.mul(g), one).mul(mask[s]);
            rows[s] = next;
        }
        return stack(rows).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The loss of a rollout: one forward pass (with gradient) of the policy over the N steps taken, then
    /// <see cref="FromOutputs"/>. Puts the policy in training mode.
    /// </summary>
    public static ReinforceLossParts Compute(nn.Module<Tensor, (Tensor Logits, Tensor Value)> policy, Rollout rollout, ReinforceOptions options)
    {
        using var scope = NewDisposeScope();
        var returns = DiscountedReturns(rollout.Rewards, rollout.Alive, options.Gamma);
        var taken = rollout.Alive.flatten().nonzero().squeeze(1);                     // (N) indices into T·B
        var obs = rollout.Observations.flatten(0, 1).index_select(0, taken);          // (N, 3, H, W)
        policy.train();
        var (logits, values) = policy.call(obs);                                      // (N, 4), (N)
        var parts = FromOutputs(logits, values, rollout.Actions.flatten().index_select(0, taken), returns.flatten().index_select(0, taken), options);
        return parts with { Total = parts.Total.MoveToOuterDisposeScope() };
    }

    /// <summary>
    /// The loss from the policy's outputs on N steps: logits (N, A), values (N), the actions taken (N) int64 and
    /// their returns (N).
    /// </summary>
    public static ReinforceLossParts FromOutputs(Tensor logits, Tensor values, Tensor actions, Tensor returns, ReinforceOptions options)
    {
        using var scope = NewDisposeScope();
        using Scalar half = 0.5.ToScalar(), cv = options.ValueCoefficient.ToScalar(), minusBeta = (-options.EntropyCoefficient).ToScalar(), one = 1.ToScalar();
        long n = logits.shape[0];
        if (n == 0) throw new ShatterException("a REINFORCE update needs at least one step; collect at least one episode.");
        var logProbs = logits.log_softmax(1);                                         // (N, A)
        var taken = logProbs.gather(1, actions.unsqueeze(1)).squeeze(1);              // (N) log π(a_t|s_t)
        var raw = returns.sub(values.detach());                                       // (N) A_t
        using Scalar eps = 1e-8.ToScalar();
        var advantage = options.NormalizeAdvantages && n > 1                          // (A − mean A) / (std A + ε) over the N steps
            ? raw.sub(raw.mean()).div(raw.std().add(eps, one)) : raw;
        var policyLoss = advantage.mul(taken).mean().neg();
        var error = returns.sub(values);
        var valueLoss = error.mul(error).mul(half).mean();
        var entropy = logProbs.exp().mul(logProbs).sum(1).neg().mean();               // mean H(π(·|s_t))
        var total = policyLoss.add(valueLoss, cv).add(entropy, minusBeta);
        if (!total.isfinite().item<bool>())
            throw new ShatterException("the REINFORCE loss is not finite; lower the learning rate or the entropy bonus.");
        return new ReinforceLossParts(total.MoveToOuterDisposeScope(), policyLoss.item<float>(), valueLoss.item<float>(),
            entropy.item<float>(), raw.mean().item<float>(), n);
    }
}
