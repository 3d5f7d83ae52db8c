using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Shatter.Models;

/// <summary>
/// A small actor-critic network for the grid-maze agent (Shatter.Training.Reinforcement): flatten the observation
/// → [linear → ReLU] per hidden width (a torso both heads share) → a policy head (action logits) and a value head
/// (the learned baseline V(s)). Sharing the torso is the A2C/PPO convention (Mnih et al. 2016; Schulman et al. 2017);
/// REINFORCE with a baseline as Sutton and Barto write it (§13.4) keeps two networks — the loss is the same.
/// (B, C, H, W) -> logits (B, actions) and value (B).
/// State-dict keys: hidden.0.weight, ..., policy.weight, policy.bias, value.weight, value.bias.
/// </summary>
public sealed class PolicyMlp : Module<Tensor, (Tensor Logits, Tensor Value)>
{
    private readonly ModuleList<Linear> hidden;
    private readonly Linear policy;
    private readonly Linear value;

    public PolicyMlp(long inputs, IReadOnlyList<int> widths, int actions) : base(nameof(PolicyMlp))
    {
        if (actions < 2) throw new ShatterException($"a policy needs at least 2 actions, not {actions}.");
        hidden = new ModuleList<Linear>();
        long previous = inputs;
        foreach (var w in widths)
        {
            hidden.Add(Linear(previous, w));
            previous = w;
        }
        policy = Linear(previous, actions);
        value = Linear(previous, 1);
        RegisterComponents();
    }

    public override (Tensor Logits, Tensor Value) forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.flatten(1);                                           // (B, C, H, W) -> (B, C·H·W)
        foreach (var layer in hidden) x = functional.relu(layer.call(x));  // -> (B, wᵢ)
        var logits = policy.call(x);                                        // -> (B, actions)
        var v = value.call(x).squeeze(1);                                   // -> (B)
        return (scope.MoveToOuter(logits), scope.MoveToOuter(v));
    }
}
