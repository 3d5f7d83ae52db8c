using static TorchSharp.torch;

namespace Shatter.Tests.Training.Reinforcement;

/// <summary>A policy that ignores its observation: the same logits for every row (B, 4), value 0 (B). No parameters.</summary>
sealed class ScriptedPolicy(float[] logits) : nn.Module<Tensor, (Tensor Logits, Tensor Value)>(nameof(ScriptedPolicy))
{
    public override (Tensor Logits, Tensor Value) forward(Tensor input)
    {
        long b = input.shape[0];
        return (tensor(logits).view(1, logits.Length).expand(b, logits.Length).clone(), zeros(b));
    }

    /// <summary>Always the given action (the others' logits at −10⁴: probability e^−10000 = 0 in float32).</summary>
    public static ScriptedPolicy Always(int action)
    {
        var logits = new float[] { -1e4f, -1e4f, -1e4f, -1e4f };
        logits[action] = 0;
        return new ScriptedPolicy(logits);
    }
}
